// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_view.h"

namespace peakwatch {
namespace {

std::string_view bytes(const QByteArray &b)
{
    return std::string_view(b.constData(), size_t(b.size()));
}

} // namespace

MessageView viewOf(const TopicMessage &message, std::string_view topic, std::vector<HeaderView> &headers)
{
    headers.clear();
    for (const MessageHeader &h : message.headers)
        headers.push_back({bytes(h.name), BytesView{bytes(h.value), h.valueIsNull}});
    MessageView view;
    view.topic = topic;
    view.partition = message.partition;
    view.offset = message.offset;
    view.timestampMs = message.timestampMs;
    view.timestampType = message.timestampType;
    view.key = BytesView{bytes(message.key), message.keyIsNull};
    view.value = BytesView{bytes(message.value), message.valueIsNull};
    view.headers = headers;
    return view;
}

} // namespace peakwatch
