// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The NDJSON reader on any bytes as a file (VALUE or KEY<TAB>VALUE lines), each message then parsed as
// `peakwatch-cli analyze` does. The file is an anonymous memory file, so the reader runs its real stdio path.
#include "event_parser.h"
#include "fuzz_support.h"
#include "ndjson_reader.h"

#include <QString>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

using namespace peakwatch;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static EventParser parser;
    const int fd = memfd_create("ndjson", 0);
    PEAKWATCH_FUZZ_CHECK(fd >= 0);
    PEAKWATCH_FUZZ_CHECK(write(fd, data, size) == ssize_t(size));
    {
        NdjsonReader reader;
        PEAKWATCH_FUZZ_CHECK(reader.open(QStringLiteral("/proc/self/fd/%1").arg(fd)).ok());
        RawMessage message;
        qint64 lines = 0;
        while (reader.next(message)) {
            PEAKWATCH_FUZZ_CHECK(message.value.size() <= size && message.capacity >= message.value.size());
            PEAKWATCH_FUZZ_CHECK(reader.lineNumber() > lines);
            lines = reader.lineNumber();
            ProductEvent event;
            Rejection rejection;
            parser.parse(message, event, rejection);
        }
        PEAKWATCH_FUZZ_CHECK(reader.error().isEmpty());
    }
    close(fd);
    return 0;
}
