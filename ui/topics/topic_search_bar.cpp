// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "topic_search_bar.h"

#include "connection_profile.h"
#include "jq_program.h"
#include "message_format.h"
#include "saved_filters.h"
#include "topic_search.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QStringBuilder>
#include <QToolBar>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

// "1 message", "2,345 messages".
QString messages(qint64 n)
{
    return n == 1 ? TopicSearchBar::tr("1 message") : TopicSearchBar::tr("%1 messages").arg(QLocale().toString(n));
}

QString mebibytes(qint64 bytes)
{
    return QLocale().toString(double(bytes) / (1024.0 * 1024.0), 'f', 1) % QStringLiteral(" MiB");
}

} // namespace

TopicSearchBar::TopicSearchBar(QWidget *parent)
    : QWidget(parent)
{
    // Two rows: the filter and what to do with it; then where to start and the saved filters.
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("searchToolbar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_title = new QLabel(tr("Search: "), bar);
    bar->addWidget(m_title);
    m_filter = new QLineEdit(bar);
    m_filter->setObjectName(QStringLiteral("searchFilter"));
    m_filter->setPlaceholderText(tr("a jq filter, e.g. .value.variants[0].inventory_quantity < 5"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(
        tr("<p>Messages for which this jq filter is true, in every partition of the topic. It reads "
           "<code>{topic, partition, offset, timestamp, key, value, headers}</code>: the value parsed when it is JSON, "
           "the headers by name.</p><p>Examples: <code>.value.variants[0].inventory_quantity &lt; 5</code>, "
           "<code>.headers[\"X-Shopify-Topic\"] == \"products/update\"</code>, <code>.key == "
           "\"peak-apparel.myshopify.com\"</code>, <code>.value.title | test(\"hoodie\"; \"i\")</code>.</p>"
           "<p>As in jq, a field a message lacks is null, and null is less than every number: on a topic that "
           "also holds orders, add <code>and .headers[\"X-Shopify-Topic\"] == \"products/update\"</code> to keep "
           "to products.</p>"));
    m_filter->setMinimumWidth(200);
    m_filter->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    bar->addWidget(m_filter);
    m_searchAction = bar->addAction(tr("Search topic"));
    m_searchAction->setObjectName(QStringLiteral("searchAction"));
    m_searchAction->setToolTip(tr("Read every partition of the topic and list the messages the filter passes"));
    m_cancelAction = bar->addAction(tr("Cancel"));
    m_cancelAction->setObjectName(QStringLiteral("cancelSearchAction"));
    m_exportAction = bar->addAction(tr("Export…"));
    m_exportAction->setObjectName(QStringLiteral("exportAction"));
    m_exportAction->setToolTip(tr("Search again and write every match to a JSON Lines (as kcat -J writes) or CSV "
                                  "file"));

    auto *options = new QToolBar(this);
    options->setObjectName(QStringLiteral("searchOptionsToolbar"));
    options->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_fromCheck = new QCheckBox(tr("From"), options);
    m_fromCheck->setObjectName(QStringLiteral("searchFromCheck"));
    m_fromCheck->setToolTip(tr("Search from this time on (each partition from its first message at or after it), "
                               "instead of from the beginning"));
    options->addWidget(m_fromCheck);
    m_from = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(-3600), options);
    m_from->setObjectName(QStringLiteral("searchFrom"));
    m_from->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_from->setCalendarPopup(true);
    m_from->setEnabled(false);
    m_from->setToolTip(tr("Local time"));
    options->addWidget(m_from);
    options->addSeparator();
    m_saved = new QComboBox(options);
    m_saved->setObjectName(QStringLiteral("savedFilters"));
    m_saved->setToolTip(tr("Saved filters, shared with peakwatch-cli filter; choose one to put it in the box"));
    options->addWidget(m_saved);
    m_saveAction = options->addAction(tr("Save filter…"));
    m_saveAction->setObjectName(QStringLiteral("saveFilterAction"));
    m_saveAction->setToolTip(tr("Save the filter under a name, for here and for peakwatch-cli consume "
                                "--saved-filter"));

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(bar);
    layout->addWidget(options);
    layout->addWidget(m_status);

    connect(m_fromCheck, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_searchAction, &QAction::triggered, this, &TopicSearchBar::search);
    connect(m_filter, &QLineEdit::returnPressed, this, &TopicSearchBar::search);
    connect(m_filter, &QLineEdit::textEdited, this, [this] {
        m_filter->setStyleSheet({});
        updateActions();
    });
    connect(m_cancelAction, &QAction::triggered, this, &TopicSearchBar::cancelSearch);
    connect(m_exportAction, &QAction::triggered, this, &TopicSearchBar::chooseExport);
    connect(m_saveAction, &QAction::triggered, this, &TopicSearchBar::saveFilter);
    connect(m_saved, &QComboBox::activated, this, [this](int index) {
        const QStringList expressions = m_saved->itemData(index).toStringList();
        if (expressions.isEmpty())
            return;
        // Several saved expressions must all pass: one filter that says so.
        setFilter(expressions.size() == 1
                      ? expressions.first()
                      : QStringLiteral("(") % expressions.join(QStringLiteral(") and (")) % QStringLiteral(")"));
    });
    loadSavedFilters();
    updateActions();
}

TopicSearchBar::~TopicSearchBar() = default;

void TopicSearchBar::setConnection(const QString &bootstrapServers, const KafkaProperties &properties)
{
    m_search.reset();
    if (!bootstrapServers.isEmpty()) {
        m_search = std::make_unique<TopicSearch>(bootstrapServers, properties);
        connect(m_search.get(), &TopicSearch::progressed, this, &TopicSearchBar::onProgress);
        connect(m_search.get(), &TopicSearch::found, this, &TopicSearchBar::found);
        connect(m_search.get(), &TopicSearch::finished, this, &TopicSearchBar::onFinished);
        connect(m_search.get(), &TopicSearch::failed, this, [this](const QString &message) {
            m_status->setText(tr("The search stopped: %1").arg(message));
            updateActions();
            Q_EMIT ended();
        });
    }
    m_status->clear();
    updateActions();
}

void TopicSearchBar::setTopic(const QString &topic)
{
    m_topic = topic;
    m_title->setText(topic.isEmpty() ? tr("Search: ") : tr("Search %1: ").arg(topic));
    updateActions();
}

bool TopicSearchBar::isSearching() const
{
    return m_search && m_search->isRunning();
}

void TopicSearchBar::setFilter(const QString &filter)
{
    m_filter->setText(filter);
    m_filter->setStyleSheet({});
    updateActions();
}

void TopicSearchBar::setFromTime(qint64 msSinceEpoch)
{
    m_fromCheck->setChecked(msSinceEpoch >= 0);
    if (msSinceEpoch >= 0)
        m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(msSinceEpoch));
}

ScanRequest TopicSearchBar::request() const
{
    ScanRequest r;
    r.topic = m_topic;
    r.stopAtEnd = true;
    if (m_fromCheck->isChecked())
        r.fromTimeMs = m_from->dateTime().toMSecsSinceEpoch();
    return r;
}

QStringList TopicSearchBar::filters() const
{
    const QString text = m_filter->text().trimmed();
    return text.isEmpty() ? QStringList() : QStringList{text};
}

bool TopicSearchBar::checkFilter()
{
    const QString text = m_filter->text().trimmed();
    if (text.isEmpty())
        return true;
    int column = 0;
    auto compiled = JqProgram::compile(text, &column);
    if (compiled)
        return true;
    // Where it goes wrong: the box turns red and the cursor stands there.
    m_filter->setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid palette(highlight); "
                                           "background: rgba(220, 50, 47, 40); }"));
    if (column > 0) {
        const int at = int(m_filter->text().indexOf(text)) + column - 1;
        m_filter->setCursorPosition(at + 1);
        m_filter->setSelection(at, 1);
    }
    m_filter->setFocus();
    m_status->setText(tr("The filter is not jq: %1").arg(compiled.error()));
    return false;
}

void TopicSearchBar::search()
{
    if (!m_search || m_topic.isEmpty() || !checkFilter())
        return;
    m_exporting = false;
    if (Status s = m_search->start(request(), filters()); !s) {
        m_status->setText(s.error());
        return;
    }
    m_status->setText(tr("Searching %1…").arg(m_topic));
    updateActions();
    Q_EMIT started(m_topic);
}

void TopicSearchBar::cancelSearch()
{
    if (m_search)
        m_search->cancel();
}

Status TopicSearchBar::exportTo(const QString &path)
{
    if (!m_search || m_topic.isEmpty())
        return Error{tr("Choose a topic to export from.")};
    if (!checkFilter())
        return Error{m_status->text()};
    const bool csv = QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0;
    if (Status s = m_search->exportTo(path, csv ? MessageFormat::Csv : MessageFormat::Jsonl,
                                      MessageWriter::defaultColumns(), request(), filters());
        !s) {
        m_status->setText(s.error());
        return s;
    }
    m_exporting = true;
    m_exportPath = path;
    m_status->setText(tr("Exporting from %1 to %2…").arg(m_topic, QDir::toNativeSeparators(path)));
    updateActions();
    Q_EMIT started(m_topic);
    return {};
}

void TopicSearchBar::chooseExport()
{
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the messages found"), QDir::home().filePath(m_topic + QStringLiteral(".jsonl")),
        tr("JSON Lines, as kcat -J writes (*.jsonl);;CSV (*.csv)"), &selected);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(path).suffix().isEmpty())
        target += selected.contains(QLatin1String("csv")) ? QStringLiteral(".csv") : QStringLiteral(".jsonl");
    // What went wrong, if anything, is in the status line already.
    [[maybe_unused]] const Status started = exportTo(target);
}

void TopicSearchBar::onProgress(const ScanProgress &p)
{
    const QLocale locale;
    QString text = p.total >= 0
                       ? tr("Searching %1: %2 of %3 messages read (%4), %5 found")
                             .arg(m_topic, locale.toString(p.scanned), locale.toString(p.total), mebibytes(p.bytes),
                                  locale.toString(p.matched))
                       : tr("Searching %1: %2 messages read (%3), %4 found")
                             .arg(m_topic, locale.toString(p.scanned), mebibytes(p.bytes), locale.toString(p.matched));
    m_status->setText(text);
}

void TopicSearchBar::onFinished(const ScanSummary &summary, qint64 exported)
{
    const QLocale locale;
    const ScanProgress &p = summary.progress;
    QString text;
    if (m_exporting) {
        text = tr("Exported %1 to %2 (%3 read).")
                   .arg(messages(exported), QDir::toNativeSeparators(m_exportPath), locale.toString(p.scanned));
    } else {
        text = summary.ended == ScanSummary::Ended::Interrupted ? tr("Cancelled: ") : QString();
        text += tr("%1 found in %2 read (%3, %4 of %5 partitions)")
                    .arg(messages(p.matched), locale.toString(p.scanned), mebibytes(p.bytes))
                    .arg(p.partitionsDone)
                    .arg(p.partitions);
        if (p.matched > TopicSearch::kPageSize)
            text += tr("; the first %1 are listed, Export… writes them all").arg(TopicSearch::kPageSize);
        text += u'.';
    }
    if (summary.filterErrors > 0)
        text += u' ' % tr("The filter failed on %1, which were left out; the first: %2")
                           .arg(messages(summary.filterErrors), summary.firstFilterError);
    for (const QString &note : summary.notes)
        text += u' ' % note % u'.';
    m_status->setText(text);
    m_exporting = false;
    updateActions();
    Q_EMIT ended();
}

void TopicSearchBar::saveFilter()
{
    const QString text = m_filter->text().trimmed();
    if (text.isEmpty() || !checkFilter())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save the filter"), tr("Name:"), QLineEdit::Normal,
                                               m_saved->currentIndex() > 0 ? m_saved->currentText() : QString(), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    ProfileSettings settings;
    if (Status s = SavedFilter::save(settings, {name.trimmed(), {text}}); !s) {
        QMessageBox::warning(this, tr("Save the filter"), s.error());
        return;
    }
    loadSavedFilters();
    m_saved->setCurrentIndex(m_saved->findText(name.trimmed()));
    m_status->setText(
        tr("Saved as \"%1\"; peakwatch-cli consume --saved-filter \"%1\" uses it too.").arg(name.trimmed()));
}

void TopicSearchBar::loadSavedFilters()
{
    m_saved->clear();
    m_saved->addItem(tr("Saved filters"));
    ProfileSettings settings;
    for (const SavedFilter &f : SavedFilter::loadAll(settings))
        m_saved->addItem(f.name, f.expressions);
    m_saved->setEnabled(m_saved->count() > 1);
}

void TopicSearchBar::updateActions()
{
    const bool ready = m_search && !m_topic.isEmpty();
    const bool running = isSearching();
    m_searchAction->setEnabled(ready && !running);
    m_exportAction->setEnabled(ready && !running);
    m_cancelAction->setEnabled(running);
    m_saveAction->setEnabled(!m_filter->text().trimmed().isEmpty());
    m_filter->setEnabled(m_search != nullptr);
}

} // namespace peakwatch::ui
