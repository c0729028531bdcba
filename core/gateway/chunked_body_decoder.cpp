// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "chunked_body_decoder.h"

namespace peakwatch {
namespace {

// A size line or a trailer line: longer than this without its end is refused.
constexpr qsizetype kMaxChunkLine = 4096;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

ChunkedBodyDecoder::State ChunkedBodyDecoder::fail(int status, const QString &reason)
{
    m_error = HttpError{status, reason};
    m_phase = Phase::Finished;
    m_failed = true;
    return State::Failed;
}

ChunkedBodyDecoder::State ChunkedBodyDecoder::feed(QByteArrayView input, qsizetype &consumed, QByteArray &body)
{
    if (m_phase == Phase::Finished)
        return m_failed ? State::Failed : State::Done;
    for (;;) {
        switch (m_phase) {
        case Phase::SizeLine:
        case Phase::Trailers: {
            const qsizetype lf = input.indexOf('\n', consumed);
            if (lf < 0) {
                if (input.size() - consumed > kMaxChunkLine)
                    return fail(400, QStringLiteral("a chunk size line over %1 bytes").arg(kMaxChunkLine));
                return State::NeedMore;
            }
            if (lf == consumed || input[lf - 1] != '\r')
                return fail(400, QStringLiteral("a line of the chunked body ends in LF without CR"));
            const QByteArrayView line = input.sliced(consumed, lf - 1 - consumed);
            if (line.size() > kMaxChunkLine || line.contains('\r'))
                return fail(400, QStringLiteral("a malformed line in the chunked body"));
            consumed = lf + 1;
            if (m_phase == Phase::Trailers) {
                m_trailerBytes += line.size() + 2;
                if (m_trailerBytes > m_limits.maxHeadBytes)
                    return fail(431, QStringLiteral("the chunked body's trailer fields are over %1 bytes")
                                         .arg(m_limits.maxHeadBytes));
                if (line.isEmpty()) {
                    m_phase = Phase::Finished;
                    return State::Done;
                }
                continue; // a trailer field, dropped
            }
            // chunk-size [ chunk-ext ]: hex digits, then nothing or BWS ";" ...
            qsizetype i = 0;
            qint64 size = 0;
            for (; i < line.size() && hexValue(line[i]) >= 0; ++i) {
                if (i >= 15)
                    return fail(413,
                                QStringLiteral("a chunk over the body limit of %1 bytes").arg(m_limits.maxBodyBytes));
                size = size * 16 + hexValue(line[i]);
            }
            if (i == 0)
                return fail(400, QStringLiteral("a chunk size that is not hexadecimal"));
            qsizetype rest = i;
            while (rest < line.size() && (line[rest] == ' ' || line[rest] == '\t'))
                ++rest;
            if (rest < line.size() && line[rest] != ';')
                return fail(400, QStringLiteral("a chunk size followed by something other than an extension"));
            if (size > m_limits.maxBodyBytes - body.size())
                return fail(
                    413, QStringLiteral("the chunked body is over the limit of %1 bytes").arg(m_limits.maxBodyBytes));
            m_chunkLeft = size;
            m_phase = size == 0 ? Phase::Trailers : Phase::Data;
            break;
        }
        case Phase::Data: {
            const qint64 take = std::min<qint64>(m_chunkLeft, input.size() - consumed);
            if (take == 0)
                return State::NeedMore;
            body.append(input.sliced(consumed, take));
            consumed += take;
            m_chunkLeft -= take;
            if (m_chunkLeft == 0)
                m_phase = Phase::DataEnd;
            break;
        }
        case Phase::DataEnd:
            if (input.size() - consumed < 2)
                return State::NeedMore;
            if (input[consumed] != '\r' || input[consumed + 1] != '\n')
                return fail(400, QStringLiteral("a chunk's data is not followed by CRLF"));
            consumed += 2;
            m_phase = Phase::SizeLine;
            break;
        case Phase::Finished: return m_failed ? State::Failed : State::Done;
        }
    }
}

} // namespace peakwatch
