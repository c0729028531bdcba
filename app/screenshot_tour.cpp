// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "screenshot_tour.h"

#include "alert_center.h"
#include "alerts_view.h"
#include "dashboard_view.h"
#include "delivery_dialog.h"
#include "doctor_dialog.h"
#include "main_window.h"
#include "message_page_model.h"
#include "product_table_model.h"
#include "profile_dialog.h"
#include "rules_dialog.h"
#include "simulator_view.h"
#include "topic_search_bar.h"
#include "topics_view.h"

#include <QApplication>
#include <QCursor>
#include <QDir>
#include <QItemSelectionModel>
#include <QScreen>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>

ScreenshotTour::ScreenshotTour(peakwatch::ui::MainWindow &window, QString directory, int warmupSeconds)
    : m_window(window)
    , m_directory(std::move(directory))
    , m_warmupSeconds(warmupSeconds)
{}

void ScreenshotTour::start()
{
    QDir().mkpath(m_directory);
    QTimer::singleShot(m_warmupSeconds * 1000, this, &ScreenshotTour::step);
}

void ScreenshotTour::save(const QString &name)
{
    const QString path = m_directory + u'/' + name + QStringLiteral(".png");
    // What the screen shows of the window, as a user would capture it.
    const QPixmap shot = m_window.screen()->grabWindow(m_window.winId());
    if (!shot.save(path))
        std::fprintf(stderr, "peakwatch: cannot write %s\n", qPrintable(path));
    else
        std::printf("%s\n", qPrintable(path));
    std::fflush(stdout);
}

void ScreenshotTour::showDoctor(const QString &bootstrapServers, const QString &topic)
{
    peakwatch::DoctorOptions options;
    options.bootstrapServers = bootstrapServers;
    options.topic = topic;
    auto *doctor = new peakwatch::ui::DoctorDialog(options, &m_window);
    doctor->setAttribute(Qt::WA_DeleteOnClose);
    doctor->show();
    m_dialog = doctor;
    QTimer::singleShot(4000, this, &ScreenshotTour::step); // the steps take a moment
}

void ScreenshotTour::saveDialog(const QString &name)
{
    if (!m_dialog)
        return;
    const QString path = m_directory + u'/' + name + QStringLiteral(".png");
    if (!m_dialog->grab().save(path))
        std::fprintf(stderr, "peakwatch: cannot write %s\n", qPrintable(path));
    else
        std::printf("%s\n", qPrintable(path));
    std::fflush(stdout);
    m_dialog->close();
}

void ScreenshotTour::step()
{
    using peakwatch::ui::ProductTableModel;
    QTabWidget &tabs = m_window.tabs();
    switch (m_step++) {
    case 0: { // the dashboard, soonest sell-outs first, two of them charted
        tabs.setCurrentWidget(&m_window.dashboard());
        QTableView &table = m_window.dashboard().table();
        QCursor::setPos(0, 0); // Xvfb puts the pointer mid-screen, on the rows: it would hold their order
        table.sortByColumn(ProductTableModel::SelloutIn, Qt::AscendingOrder);
        table.selectRow(0);
        table.selectionModel()->select(table.model()->index(1, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QTimer::singleShot(2500, this, &ScreenshotTour::step);
        return;
    }
    case 1:
        save(QStringLiteral("dashboard"));
        tabs.setCurrentWidget(&m_window.topics());
        m_window.topics().showPartition(QStringLiteral("products"), m_partition);
        QTimer::singleShot(2500, this, &ScreenshotTour::step);
        return;
    case 2: { // a message of the newest page, in full; the shops' keys fill only some partitions
        auto *table = m_window.topics().findChild<QTableView *>(QStringLiteral("messageTable"));
        if (!table) {
            QTimer::singleShot(0, this, &ScreenshotTour::step);
            return;
        }
        if (table->model()->rowCount() == 0 && m_partition < 5) {
            m_window.topics().showPartition(QStringLiteral("products"), ++m_partition);
            --m_step;
            QTimer::singleShot(1500, this, &ScreenshotTour::step);
            return;
        }
        // The newest products/update: its variants' stock beside the JSON.
        int row = table->model()->rowCount() - 1;
        for (int r = row; r >= 0; --r)
            if (table->model()
                    ->index(r, peakwatch::ui::MessagePageModel::Headers)
                    .data()
                    .toString()
                    .contains(QLatin1String("products/update"))) {
                row = r;
                break;
            }
        table->selectRow(row);
        QTimer::singleShot(1000, this, &ScreenshotTour::step);
        return;
    }
    case 3: { // a search of the whole topic: products running low, from every partition
        save(QStringLiteral("topics"));
        auto *search = m_window.topics().findChild<peakwatch::ui::TopicSearchBar *>();
        if (search) {
            search->setFilter(QStringLiteral(".headers[\"X-Shopify-Topic\"] == \"products/update\" and "
                                             ".value.variants[0].inventory_quantity < 5"));
            search->search();
        }
        QTimer::singleShot(3000, this, &ScreenshotTour::step);
        return;
    }
    case 4:
        save(QStringLiteral("topics-search"));
        tabs.setCurrentWidget(&m_window.alerts());
        QTimer::singleShot(1000, this, &ScreenshotTour::step);
        return;
    case 5:
        save(QStringLiteral("alerts"));
        tabs.setCurrentWidget(&m_window.simulator());
        QTimer::singleShot(1000, this, &ScreenshotTour::step);
        return;
    case 6: {
        save(QStringLiteral("simulator"));
        auto *rules = new peakwatch::ui::RulesDialog(m_window.rules(), &m_window);
        rules->setAttribute(Qt::WA_DeleteOnClose);
        rules->show();
        m_dialog = rules;
        QTimer::singleShot(1000, this, &ScreenshotTour::step);
        return;
    }
    case 7: {
        saveDialog(QStringLiteral("rules"));
        auto *delivery = new peakwatch::ui::DeliveryDialog(peakwatch::ui::MainWindow::embeddedName(),
                                                           m_window.alertCenter().secrets(), &m_window);
        delivery->setSessionStore(&m_window.alertCenter().sessionSecrets());
        delivery->setAttribute(Qt::WA_DeleteOnClose);
        delivery->show();
        m_dialog = delivery;
        QTimer::singleShot(1500, this, &ScreenshotTour::step);
        return;
    }
    case 8: {
        saveDialog(QStringLiteral("delivery"));
        // A shop's Amazon MSK cluster behind its IAM listener, as a store manager saves it (no secret involved).
        peakwatch::ConnectionProfile msk;
        msk.name = QStringLiteral("Peak Apparel MSK");
        msk.bootstrapServers = QStringLiteral("b-1.peakapparel.x7k2qp.c3.kafka.us-east-1.amazonaws.com:9098,"
                                              "b-2.peakapparel.x7k2qp.c3.kafka.us-east-1.amazonaws.com:9098");
        msk.topic = QStringLiteral("shopify-products");
        msk.group = QStringLiteral("peakwatch-desktop");
        msk.security = peakwatch::ConnectionProfile::Security::Iam;
        msk.awsRegion = QStringLiteral("us-east-1");
        msk.awsProfile = QStringLiteral("peak-apparel");
        auto *profile = new peakwatch::ui::ProfileDialog(msk, &m_window);
        profile->setAttribute(Qt::WA_DeleteOnClose);
        profile->show();
        m_dialog = profile;
        QTimer::singleShot(1000, this, &ScreenshotTour::step);
        return;
    }
    case 9:
        saveDialog(QStringLiteral("connection"));
        // Test connection against the demo's own cluster: every step, as it reports them.
        showDoctor(m_window.bootstrapServers(), QStringLiteral("products"));
        return;
    case 10:
        saveDialog(QStringLiteral("doctor"));
        // And where nothing listens: the classic wrong port, or a tunnel that is not up.
        showDoctor(QStringLiteral("127.0.0.1:9098"), QStringLiteral("shopify-products"));
        return;
    default:
        saveDialog(QStringLiteral("doctor-failed"));
        m_window.close();
        QApplication::quit();
    }
}
