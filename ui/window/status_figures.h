// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "live_batch.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace peakwatch::ui {

// The status bar's figures: connection state, events per second, consumer lag, products and rejected
// events (a button: click to see them).
class StatusFigures final : public QWidget {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Live, Failed };

    explicit StatusFigures(QWidget *parent = nullptr);
    void setState(State state, const QString &detail);
    void setStats(const LiveStats &stats);
    State state() const { return m_state; }
    QString stateDetail() const { return m_detail; }
    QString stateShown() const; // the state as the status bar shows it, cut to its room, without markup
    QString eventsText() const;
    QString rejectedText() const;
    QString streamTimeText() const;

Q_SIGNALS:
    void rejectsRequested();

private:
    QString m_detail;
    State m_state = State::Disconnected;
    QLabel *m_connection;
    QLabel *m_streamTime;
    QLabel *m_events;
    QLabel *m_lag;
    QLabel *m_products;
    QToolButton *m_rejected;
};

} // namespace peakwatch::ui
