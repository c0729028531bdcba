#include "connection_profile.h"

#include <QSettings>
#include <QStringBuilder>

namespace peakwatch::ui {
namespace {

QString group(const QString &name)
{
    // Settings keys must not contain slashes: they would nest groups.
    return QStringLiteral("connections/") % QString(name).replace(u'/', u'_');
}

} // namespace

Result<KafkaProperties> ConnectionProfile::parseProperties(const QString &text)
{
    KafkaProperties out;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            return Error{QStringLiteral("line %1: \"%2\" is not key=value").arg(i + 1).arg(line)};
        out.append({line.left(eq).trimmed().toUtf8(), line.mid(eq + 1).trimmed().toUtf8()});
    }
    return out;
}

QString ConnectionProfile::propertiesText() const
{
    QString out;
    for (const auto &[key, value] : properties)
        out += QString::fromUtf8(key) % u'=' % QString::fromUtf8(value) % u'\n';
    return out;
}

bool ConnectionProfile::isSecret(const QByteArray &key)
{
    const QByteArray k = key.toLower();
    return k.contains("password") || k.contains("secret") || k.endsWith(".key.pem") || k == "ssl.key.pem" ||
           k.contains("token") || k.contains("sasl.oauthbearer.config");
}

QList<ConnectionProfile> ConnectionProfile::loadAll(QSettings &settings)
{
    QList<ConnectionProfile> out;
    settings.beginGroup(QStringLiteral("connections"));
    const QStringList names = settings.childGroups();
    settings.endGroup();
    for (const QString &key : names) {
        settings.beginGroup(QStringLiteral("connections/") % key);
        ConnectionProfile p;
        p.name = settings.value(QStringLiteral("name"), key).toString();
        p.bootstrapServers = settings.value(QStringLiteral("bootstrap_servers")).toString();
        p.topic = settings.value(QStringLiteral("topic"), QStringLiteral("products")).toString();
        if (auto properties = parseProperties(settings.value(QStringLiteral("properties")).toString()))
            p.properties = *properties;
        settings.endGroup();
        out.append(p);
    }
    return out;
}

QStringList ConnectionProfile::save(QSettings &settings) const
{
    QStringList leftOut;
    KafkaProperties kept;
    for (const auto &property : properties) {
        if (isSecret(property.first))
            leftOut.append(QString::fromUtf8(property.first));
        else
            kept.append(property);
    }
    ConnectionProfile stored = *this;
    stored.properties = kept;
    settings.beginGroup(group(name));
    settings.setValue(QStringLiteral("name"), name);
    settings.setValue(QStringLiteral("bootstrap_servers"), bootstrapServers);
    settings.setValue(QStringLiteral("topic"), topic);
    settings.setValue(QStringLiteral("properties"), stored.propertiesText());
    settings.endGroup();
    return leftOut;
}

void ConnectionProfile::remove(QSettings &settings, const QString &name)
{
    settings.remove(group(name));
}

QString ConnectionProfile::problem() const
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("the connection needs a name");
    if (bootstrapServers.trimmed().isEmpty())
        return QStringLiteral("the connection needs bootstrap servers (host:port, comma-separated)");
    if (topic.trimmed().isEmpty())
        return QStringLiteral("the connection needs the topic of products/update webhooks");
    return {};
}

} // namespace peakwatch::ui
