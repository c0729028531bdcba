// A Java client.properties import on any text. Its promise: no note, no skipped line and no export holds the
// SASL/SCRAM password it found.
#include "client_properties.h"
#include "fuzz_support.h"

#include <cstdint>

using namespace peakwatch;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const ProfileImport imported = importClientProperties(text);
    const QString exported = exportClientProperties(imported.profile);
    const QStringList options = exportKafkaOptions(imported.profile);
    exportKcatArguments(imported.profile);

    // A password long enough not to be found by chance in other words, given once in the file.
    const QString &password = imported.password;
    if (password.size() >= 8 && text.count(password) == 1) {
        for (const QString &line : imported.notes + imported.unknown)
            PEAKWATCH_FUZZ_CHECK(!line.contains(password));
        PEAKWATCH_FUZZ_CHECK(!exported.contains(password));
        PEAKWATCH_FUZZ_CHECK(!options.join(QLatin1Char('\n')).contains(password));
    }
    return 0;
}
