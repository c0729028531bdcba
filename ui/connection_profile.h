#pragma once

#include "kafka_config.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

class QSettings;

namespace peakwatch::ui {

// A saved connection: a cluster, the topic of products/update webhooks, and any librdkafka property.
// Kept in QSettings under "connections/<name>". Secret properties (passwords, keys, secrets) are never
// written to the settings file: save() leaves them out and says which.
struct ConnectionProfile {
    QString name;
    QString bootstrapServers;
    QString topic = QStringLiteral("products");
    KafkaProperties properties;

    // "key=value" a line; blank lines and lines starting with # are skipped. The error names the line.
    static Result<KafkaProperties> parseProperties(const QString &text);
    QString propertiesText() const;
    // Whether a librdkafka property holds a secret (sasl.password, ssl.key.password, ...).
    static bool isSecret(const QByteArray &key);

    static QList<ConnectionProfile> loadAll(QSettings &settings);
    // Returns the secret properties that were left out.
    QStringList save(QSettings &settings) const;
    static void remove(QSettings &settings, const QString &name);
    // Empty when the profile can be used; else what is missing, in words.
    QString problem() const;
};

} // namespace peakwatch::ui
