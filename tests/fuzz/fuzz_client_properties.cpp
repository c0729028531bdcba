// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// A Java client.properties import, and the same lines as kcat's -X options, on any text. Their promise: no note, no
// skipped line and no export holds a secret they were given: the password a Java import found, or, in -X options,
// the value of a property named for a password and the JAAS password="..." of one named for JAAS.
#include "client_properties.h"
#include "fuzz_support.h"

#include <QRegularExpression>

#include <cstdint>
#include <cstdio>

using namespace peakwatch;

namespace {

using Security = ConnectionProfile::Security;

// The secrets of -X options.
QStringList secretsIn(const QStringList &options)
{
    static const QRegularExpression jaasPassword(QStringLiteral("password=\"([^\"]*)\""));
    static const QRegularExpression propertyName(QStringLiteral("^[a-z0-9._-]+$")); // not part of another value
    QStringList secrets;
    for (const QString &option : options) {
        const qsizetype eq = option.indexOf(u'=');
        const QString key = option.left(eq).trimmed();
        const QString value = option.mid(eq + 1);
        if (!propertyName.match(key).hasMatch())
            continue;
        if (key.contains(QLatin1String("password")))
            secrets << value;
        if (key.contains(QLatin1String("jaas")))
            for (auto it = jaasPassword.globalMatch(value); it.hasNext();)
                secrets << it.next().captured(1);
    }
    return secrets;
}

// What the exports write for every profile of a kind ("org.apache.kafka.common.security.scram.ScramLoginModule"):
// a "secret" found in it is no secret shown.
const QString &exportsWords()
{
    static const QString words = [] {
        QString all;
        for (const Security security : {Security::Plaintext, Security::Tls, Security::SaslScram, Security::Iam}) {
            ConnectionProfile p;
            p.security = security;
            all += exportClientProperties(p) + exportKcatArguments(p) + exportKafkaOptions(p).join(u'\n');
        }
        return all;
    }();
    return words;
}

// Secrets long enough not to turn up in other words by chance, each given once in `text`.
void checkNoSecret(const QString &text, const QStringList &secrets, const ProfileImport &imported)
{
    const QStringList words =
        imported.notes + imported.unknown + exportKafkaOptions(imported.profile) +
        QStringList{exportClientProperties(imported.profile), exportKcatArguments(imported.profile)};
    for (const QString &secret : secrets) {
        if (secret.size() < 8 || text.count(secret) != 1 || exportsWords().contains(secret))
            continue;
        for (const QString &line : words) {
            if (line.contains(secret))
                std::fprintf(stderr, "secret \"%s\" shown in \"%s\"\n", qPrintable(secret), qPrintable(line));
            PEAKWATCH_FUZZ_CHECK(!line.contains(secret));
        }
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
    const ProfileImport java = importClientProperties(text);
    checkNoSecret(text, {java.password}, java);
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    if (const auto options = importKafkaOptions(lines); options.ok())
        checkNoSecret(text, secretsIn(lines) + QStringList{options.value().password}, options.value());
    return 0;
}
