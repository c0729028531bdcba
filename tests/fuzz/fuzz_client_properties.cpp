// A Java client.properties import, and the same lines as kcat's -X options, on any text. Their promise: no note, no
// skipped line and no export holds a secret the text gave (a JAAS password="...", or the value of a property whose
// name says password).
#include "client_properties.h"
#include "fuzz_support.h"

#include <QRegularExpression>

#include <cstdint>

using namespace peakwatch;

namespace {

// The secrets in `text` long enough not to turn up in other words by chance, each given once.
QStringList secretsIn(const QString &text)
{
    static const QRegularExpression jaas(QStringLiteral("password=\"([^\"\\n]{8,})\""));
    static const QRegularExpression property(QStringLiteral("^[^=\\n]*password[^=\\n]*=([^\\n]{8,})$"),
                                             QRegularExpression::MultilineOption);
    QStringList secrets;
    for (const QRegularExpression *re : {&jaas, &property})
        for (auto it = re->globalMatch(text); it.hasNext();)
            secrets << it.next().captured(1);
    return secrets;
}

void checkNoSecret(const QString &text, const QStringList &secrets, const ProfileImport &imported)
{
    const QStringList words =
        imported.notes + imported.unknown + exportKafkaOptions(imported.profile) +
        QStringList{exportClientProperties(imported.profile), exportKcatArguments(imported.profile)};
    for (const QString &secret : secrets + QStringList{imported.password}) {
        if (secret.size() < 8 || text.count(secret) != 1)
            continue;
        for (const QString &line : words)
            PEAKWATCH_FUZZ_CHECK(!line.contains(secret));
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QStringList secrets = secretsIn(text);
    checkNoSecret(text, secrets, importClientProperties(text));
    const auto options = importKafkaOptions(text.split(u'\n', Qt::SkipEmptyParts));
    if (options.ok())
        checkNoSecret(text, secrets, options.value());
    return 0;
}
