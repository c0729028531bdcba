// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "rules_dialog.h"

#include "row_table.h"
#include "rule_overrides_model.h"

#include <QAction>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStringBuilder>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimeEdit>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace peakwatch::ui {

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr auto kProblemStyle = "color: #cf222e";
constexpr int kProblemLines = 4; // rows named under the table; the rest are counted

// "45 min", "2 h", "2 h 30 min", "1 day 4 h".
QString durationText(qint64 minutes)
{
    const qint64 days = minutes / (24 * 60);
    const qint64 hours = minutes / 60 % 24;
    const qint64 rest = minutes % 60;
    QStringList parts;
    if (days > 0)
        parts.append(days == 1 ? QStringLiteral("1 day") : QStringLiteral("%1 days").arg(days));
    if (hours > 0)
        parts.append(QStringLiteral("%1 h").arg(hours));
    if (rest > 0 || parts.isEmpty())
        parts.append(QStringLiteral("%1 min").arg(rest));
    return parts.join(u' ');
}

int minuteOfDay(const QTime &time)
{
    return time.hour() * 60 + time.minute();
}

QTime timeOfMinute(int minute)
{
    return QTime(minute / 60 % 24, minute % 60);
}

QSpinBox *minutesBox(QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, int(RuleOverridesModel::kMaxMinutes));
    box->setSuffix(QStringLiteral(" min"));
    box->setAccelerated(true);
    return box;
}

QLabel *wrappedLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

// Edits override cells with a line edit (shop, product ID) or a spin box (thresholds). Return puts the
// cell's value in the table at once, so OK and the problems under the table follow it without delay.
class OverrideDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &index) const override
    {
        switch (index.column()) {
        case RuleOverridesModel::Shop:
        case RuleOverridesModel::ProductId: {
            auto *edit = new QLineEdit(parent);
            edit->setFrame(false);
            const bool shop = index.column() == RuleOverridesModel::Shop;
            edit->setPlaceholderText(shop ? QStringLiteral("my-store.myshopify.com") : QStringLiteral("8841726390317"));
            edit->setToolTip(shop ? QStringLiteral("The shop's myshopify.com domain; leave it empty for the product "
                                                   "in any shop")
                                  : QStringLiteral("The number at the end of the product's admin address "
                                                   "(…/products/8841726390317); leave it empty for every product "
                                                   "of the shop"));
            return edit;
        }
        default: {
            auto *box = new QSpinBox(parent);
            box->setFrame(false);
            if (index.column() == RuleOverridesModel::LowStock) {
                box->setRange(0, int(RuleOverridesModel::kMaxLowStock));
                box->setSuffix(QStringLiteral(" units"));
            } else {
                box->setRange(0, int(RuleOverridesModel::kMaxMinutes));
                box->setSuffix(QStringLiteral(" min"));
            }
            return box;
        }
        }
    }

    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        const QVariant value = index.data(Qt::EditRole);
        if (auto *box = qobject_cast<QSpinBox *>(editor))
            box->setValue(int(std::clamp<qint64>(value.toLongLong(), box->minimum(), box->maximum())));
        else if (auto *edit = qobject_cast<QLineEdit *>(editor))
            edit->setText(value.toString());
    }

    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        if (auto *box = qobject_cast<QSpinBox *>(editor)) {
            box->interpretText();
            model->setData(index, qint64(box->value()));
        } else if (auto *edit = qobject_cast<QLineEdit *>(editor)) {
            model->setData(index, edit->text());
        }
    }

protected:
    bool eventFilter(QObject *object, QEvent *event) override
    {
        auto *editor = qobject_cast<QWidget *>(object);
        if (editor && event->type() == QEvent::KeyPress) {
            const int key = static_cast<QKeyEvent *>(event)->key();
            if (key == Qt::Key_Return || key == Qt::Key_Enter) {
                Q_EMIT commitData(editor);
                Q_EMIT closeEditor(editor, QAbstractItemDelegate::NoHint);
                return true;
            }
        }
        return QStyledItemDelegate::eventFilter(object, event);
    }
};

} // namespace

RulesDialog::RulesDialog(const AlertRules &rules, QWidget *parent)
    : QDialog(parent)
    , m_lowStock(new QSpinBox(this))
    , m_horizon(minutesBox(this))
    , m_cooldown(minutesBox(this))
    , m_horizonHint(new QLabel(this))
    , m_cooldownHint(new QLabel(this))
    , m_quiet(new QCheckBox(QStringLiteral("Hold desktop and Slack alerts during &quiet hours"), this))
    , m_quietFrom(new QTimeEdit(this))
    , m_quietUntil(new QTimeEdit(this))
    , m_quietSummary(wrappedLabel(QString(), this))
    , m_overrides(new RuleOverridesModel(this))
    , m_table(new QTableView(this))
    , m_add(new QPushButton(QStringLiteral("&Add"), this))
    , m_remove(new QPushButton(QStringLiteral("Re&move"), this))
    , m_problems(wrappedLabel(QString(), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_reset(m_buttons->addButton(QStringLiteral("R&eset to defaults"), QDialogButtonBox::ResetRole))
{
    setWindowTitle(QStringLiteral("Alert rules"));

    // Defaults.
    m_lowStock->setObjectName(QStringLiteral("lowStock"));
    m_lowStock->setRange(0, int(RuleOverridesModel::kMaxLowStock));
    m_lowStock->setSuffix(QStringLiteral(" units"));
    m_lowStock->setAccelerated(true);
    m_lowStock->setToolTip(QStringLiteral("A product is low on stock at this many units or fewer"));
    m_horizon->setObjectName(QStringLiteral("horizon"));
    m_horizon->setSingleStep(15);
    m_horizon->setToolTip(QStringLiteral("How far ahead to warn: the selling out alert fires when, at the rate it "
                                         "is selling, a product will sell out within this many minutes"));
    m_cooldown->setObjectName(QStringLiteral("cooldown"));
    m_cooldown->setSingleStep(5);
    m_cooldown->setToolTip(QStringLiteral("A restocked product's alerts stay in one thread until it has been calm "
                                          "(well stocked, not selling out) for this many minutes: a product sold out "
                                          "and restocked again and again is one thread, not a flood"));
    m_horizonHint->setObjectName(QStringLiteral("horizonHint"));
    m_cooldownHint->setObjectName(QStringLiteral("cooldownHint"));
    for (QLabel *hint : {m_horizonHint, m_cooldownHint})
        hint->setForegroundRole(QPalette::PlaceholderText);

    static constexpr std::array<const char *, kAlertRuleCount> ruleLabels{"&Low stock", "&Selling out", "Sol&d out",
                                                                          "&Restocked"};
    static constexpr std::array<const char *, kAlertRuleCount> ruleNames{"alertLowStock", "alertSellingOut",
                                                                         "alertSoldOut", "alertRestocked"};
    auto *alerts = new QGridLayout;
    alerts->setColumnStretch(1, 1);
    for (size_t i = 0; i < kAlertRuleCount; ++i) {
        m_enabled[i] = new QCheckBox(QString::fromLatin1(ruleLabels[i]), this);
        m_enabled[i]->setObjectName(QString::fromLatin1(ruleNames[i]));
        m_ruleTexts[i] = wrappedLabel(QString(), this);
        m_ruleTexts[i]->setBuddy(m_enabled[i]);
        alerts->addWidget(m_enabled[i], int(i), 0, Qt::AlignTop);
        alerts->addWidget(m_ruleTexts[i], int(i), 1);
    }
    auto *cooldownNote = wrappedLabel(QStringLiteral("Each alert fires once in a product's episode, from its "
                                                     "first warning until it has been restocked and calm for the "
                                                     "cooldown."),
                                      this);
    cooldownNote->setForegroundRole(QPalette::PlaceholderText);
    alerts->addWidget(cooldownNote, int(kAlertRuleCount), 0, 1, 2);

    auto *defaultsBox = new QGroupBox(QStringLiteral("Defaults for every product"), this);
    auto *form = new QFormLayout(defaultsBox);
    auto addField = [this, form](const QString &label, QSpinBox *box, QLabel *hint) {
        auto *name = new QLabel(label, this);
        name->setBuddy(box);
        auto *row = new QHBoxLayout;
        row->addWidget(box);
        if (hint)
            row->addWidget(hint);
        row->addStretch(1);
        form->addRow(name, row);
    };
    addField(QStringLiteral("Low-stock &threshold:"), m_lowStock, nullptr);
    addField(QStringLiteral("Sell-out &horizon:"), m_horizon, m_horizonHint);
    addField(QStringLiteral("&Cooldown:"), m_cooldown, m_cooldownHint);
    form->addRow(QStringLiteral("Alerts:"), alerts);

    // Quiet hours.
    m_quiet->setObjectName(QStringLiteral("quietHours"));
    m_quiet->setToolTip(QStringLiteral("While ticked, desktop notifications and Slack messages wait during the "
                                       "hours below and go out together when they end"));
    for (QTimeEdit *edit : {m_quietFrom, m_quietUntil}) {
        edit->setDisplayFormat(QStringLiteral("HH:mm"));
        edit->setWrapping(true);
    }
    m_quietFrom->setObjectName(QStringLiteral("quietFrom"));
    m_quietFrom->setToolTip(QStringLiteral("When the quiet hours start, in this computer's local time (24-hour)"));
    m_quietUntil->setObjectName(QStringLiteral("quietUntil"));
    m_quietUntil->setToolTip(QStringLiteral("When the quiet hours end, in this computer's local time (24-hour); "
                                            "earlier than the start means the next morning, over midnight"));
    m_quietSummary->setObjectName(QStringLiteral("quietSummary"));
    auto *fromLabel = new QLabel(QStringLiteral("&From"), this);
    fromLabel->setBuddy(m_quietFrom);
    auto *untilLabel = new QLabel(QStringLiteral("&until"), this);
    untilLabel->setBuddy(m_quietUntil);
    auto *times = new QHBoxLayout;
    times->addWidget(fromLabel);
    times->addWidget(m_quietFrom);
    times->addWidget(untilLabel);
    times->addWidget(m_quietUntil);
    times->addWidget(m_quietSummary, 1);
    auto *quietNote = wrappedLabel(QStringLiteral("Held alerts go out together when the quiet hours end. Alerts "
                                                  "written to the Kafka alerts topic are never held. The quiet hours "
                                                  "may span midnight, such as 22:00 until 07:00."),
                                   this);
    quietNote->setForegroundRole(QPalette::PlaceholderText);
    auto *quietBox = new QGroupBox(QStringLiteral("Quiet hours"), this);
    auto *quietLayout = new QVBoxLayout(quietBox);
    quietLayout->addWidget(m_quiet);
    quietLayout->addLayout(times);
    quietLayout->addWidget(quietNote);

    // Overrides.
    m_table->setObjectName(QStringLiteral("overrides"));
    m_table->setModel(m_overrides);
    m_table->setItemDelegate(new OverrideDelegate(m_table));
    setUpRowTable(*m_table, QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->show(); // the problems below name rows by number
    m_table->setTabKeyNavigation(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed);
    m_table->setColumnWidth(RuleOverridesModel::Shop, 210);
    m_table->setColumnWidth(RuleOverridesModel::ProductId, 150);
    m_table->setColumnWidth(RuleOverridesModel::LowStock, 80);
    m_table->setColumnWidth(RuleOverridesModel::Horizon, 80);
    m_table->setMinimumHeight(m_table->verticalHeader()->defaultSectionSize() * 5);
    m_table->setToolTip(QStringLiteral("Double-click a cell, or press F2 or start typing, to change it; Enter keeps "
                                       "the change, Escape drops it"));
    auto *removeShortcut = new QAction(m_table);
    removeShortcut->setShortcut(QKeySequence::Delete);
    removeShortcut->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(removeShortcut);
    m_add->setObjectName(QStringLiteral("addOverride"));
    m_add->setToolTip(QStringLiteral("Add a row with the thresholds above, then type the shop, the product ID or "
                                     "both"));
    m_remove->setObjectName(QStringLiteral("removeOverride"));
    m_remove->setToolTip(QStringLiteral("Remove the selected rows (Delete)"));
    m_problems->setObjectName(QStringLiteral("overrideProblems"));
    m_problems->setStyleSheet(QString::fromLatin1(kProblemStyle));
    m_problems->setTextFormat(Qt::PlainText);
    auto *overridesIntro = wrappedLabel(
        QStringLiteral("Thresholds for particular shops or products. The closest match applies: the shop and "
                       "product, then the product in any shop, then every product of the shop."),
        this);
    auto *overrideButtons = new QVBoxLayout;
    overrideButtons->addWidget(m_add);
    overrideButtons->addWidget(m_remove);
    overrideButtons->addStretch(1);
    auto *tableRow = new QHBoxLayout;
    tableRow->addWidget(m_table, 1);
    tableRow->addLayout(overrideButtons);
    auto *overridesBox = new QGroupBox(QStringLiteral("O&verrides"), this);
    auto *overridesLayout = new QVBoxLayout(overridesBox);
    overridesLayout->addWidget(overridesIntro);
    overridesLayout->addLayout(tableRow, 1);
    overridesLayout->addWidget(m_problems);

    m_buttons->setObjectName(QStringLiteral("buttons"));
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(QStringLiteral("Use these rules"));
    m_buttons->button(QDialogButtonBox::Cancel)->setToolTip(QStringLiteral("Close without changing the rules"));
    m_reset->setObjectName(QStringLiteral("resetToDefaults"));
    m_reset->setToolTip(QStringLiteral("Set the thresholds, alerts and quiet hours back to Peakwatch's own "
                                       "defaults; the overrides stay. Nothing changes until you press OK."));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(defaultsBox);
    layout->addWidget(quietBox);
    layout->addWidget(overridesBox, 1);
    layout->addWidget(m_buttons);

    // Keyboard order: down the form, the quiet hours, the table and its buttons, then the dialog's buttons.
    std::vector<QWidget *> order{m_lowStock, m_horizon, m_cooldown};
    order.insert(order.end(), m_enabled.begin(), m_enabled.end());
    order.insert(order.end(), {m_quiet, m_quietFrom, m_quietUntil, m_table, m_add, m_remove, m_buttons});
    for (size_t i = 1; i < order.size(); ++i)
        setTabOrder(order[i - 1], order[i]);

    showDefaults(rules.defaults());
    showQuietHours(rules.quietHours());
    m_overrides->setOverrides(rules.overrides(), rules.defaults());

    connect(m_lowStock, &QSpinBox::valueChanged, this, &RulesDialog::updateTexts);
    connect(m_horizon, &QSpinBox::valueChanged, this, &RulesDialog::updateTexts);
    connect(m_cooldown, &QSpinBox::valueChanged, this, &RulesDialog::updateTexts);
    connect(m_quiet, &QCheckBox::toggled, this, &RulesDialog::updateTexts);
    connect(m_quietFrom, &QTimeEdit::timeChanged, this, &RulesDialog::updateTexts);
    connect(m_quietUntil, &QTimeEdit::timeChanged, this, &RulesDialog::updateTexts);
    connect(m_overrides, &QAbstractItemModel::dataChanged, this, &RulesDialog::updateValidity);
    connect(m_overrides, &QAbstractItemModel::rowsInserted, this, &RulesDialog::updateValidity);
    connect(m_overrides, &QAbstractItemModel::rowsRemoved, this, &RulesDialog::updateValidity);
    connect(m_overrides, &QAbstractItemModel::modelReset, this, &RulesDialog::updateValidity);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_remove->setEnabled(m_table->selectionModel()->hasSelection()); });
    connect(m_add, &QPushButton::clicked, this, &RulesDialog::addOverride);
    connect(m_remove, &QPushButton::clicked, this, &RulesDialog::removeSelectedOverrides);
    connect(removeShortcut, &QAction::triggered, this, &RulesDialog::removeSelectedOverrides);
    connect(m_reset, &QPushButton::clicked, this, &RulesDialog::resetToDefaults);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RulesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_remove->setEnabled(false);
    updateTexts();
    m_lowStock->setFocus();
    // Wide enough for every column of the table, and short enough for a 768-pixel-high screen.
    resize(QSize(800, 700).expandedTo(minimumSizeHint()));
}

RuleSet RulesDialog::defaultsShown() const
{
    RuleSet rules;
    rules.lowStock = m_lowStock->value();
    rules.horizonMs = m_horizon->value() * kMinuteMs;
    rules.cooldownMs = m_cooldown->value() * kMinuteMs;
    for (size_t i = 0; i < kAlertRuleCount; ++i)
        rules.enabled[i] = m_enabled[i]->isChecked();
    return rules;
}

void RulesDialog::showDefaults(const RuleSet &defaults)
{
    auto shown = [](QSpinBox *box, qint64 value) {
        box->setValue(int(std::clamp<qint64>(value, box->minimum(), box->maximum())));
    };
    shown(m_lowStock, defaults.lowStock);
    shown(m_horizon, defaults.horizonMs / kMinuteMs);
    shown(m_cooldown, defaults.cooldownMs / kMinuteMs);
    for (size_t i = 0; i < kAlertRuleCount; ++i)
        m_enabled[i]->setChecked(defaults.enabled[i]);
}

void RulesDialog::showQuietHours(const std::optional<QuietHours> &hours)
{
    const QuietHours shown = hours.value_or(QuietHours{});
    m_quiet->setChecked(hours.has_value());
    m_quietFrom->setTime(timeOfMinute(shown.fromMinute));
    m_quietUntil->setTime(timeOfMinute(shown.toMinute));
}

AlertRules RulesDialog::rules() const
{
    AlertRules rules;
    rules.setDefaults(defaultsShown());
    if (m_quiet->isChecked())
        rules.setQuietHours(QuietHours{minuteOfDay(m_quietFrom->time()), minuteOfDay(m_quietUntil->time())});
    m_overrides->applyTo(rules);
    return rules;
}

void RulesDialog::resetToDefaults()
{
    showDefaults(RuleSet{});
    showQuietHours(std::nullopt);
}

void RulesDialog::addOverride()
{
    commitOpenEditor();
    const int row = m_overrides->addRow(defaultsShown());
    const QModelIndex shop = m_overrides->index(row, RuleOverridesModel::Shop);
    m_table->setFocus();
    m_table->setCurrentIndex(shop);
    m_table->scrollTo(shop);
    m_table->edit(shop);
}

void RulesDialog::removeSelectedOverrides()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedIndexes())
        if (!rows.contains(index.row()))
            rows.append(index.row());
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_overrides->removeRows(row, 1);
    if (const int left = m_overrides->rowCount(); left > 0) {
        const QModelIndex next = m_overrides->index(std::min(rows.last(), left - 1), RuleOverridesModel::Shop);
        m_table->setCurrentIndex(next);
        m_table->selectionModel()->select(next, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
}

void RulesDialog::commitOpenEditor()
{
    const QModelIndex current = m_table->currentIndex();
    if (QWidget *editor = current.isValid() ? m_table->indexWidget(current) : nullptr)
        Q_EMIT m_table->itemDelegate()->commitData(editor);
}

void RulesDialog::updateTexts()
{
    m_horizonHint->setText(m_horizon->value() >= 60 ? QStringLiteral("= ") % durationText(m_horizon->value())
                                                    : QString());
    m_cooldownHint->setText(m_cooldown->value() >= 60 ? QStringLiteral("= ") % durationText(m_cooldown->value())
                                                      : QString());
    const int low = m_lowStock->value();
    const std::array<QString, kAlertRuleCount> texts{
        QStringLiteral("When a product's stock falls to %1 units or fewer, before it runs out.").arg(low),
        QStringLiteral("When, at the rate it is selling, a product will sell out within %1.")
            .arg(durationText(m_horizon->value())),
        QStringLiteral("When a product's stock reaches zero, or goes below zero when oversold."),
        QStringLiteral("When stock comes back above %1 units after being at or below it.").arg(low),
    };
    for (size_t i = 0; i < kAlertRuleCount; ++i) {
        m_ruleTexts[i]->setText(texts[i]);
        m_enabled[i]->setToolTip(texts[i]);
    }

    const bool quiet = m_quiet->isChecked();
    m_quietFrom->setEnabled(quiet);
    m_quietUntil->setEnabled(quiet);
    const QString from = m_quietFrom->time().toString(QStringLiteral("HH:mm"));
    const QString until = m_quietUntil->time().toString(QStringLiteral("HH:mm"));
    const int fromMinute = minuteOfDay(m_quietFrom->time());
    const int untilMinute = minuteOfDay(m_quietUntil->time());
    QString summary;
    if (!quiet)
        summary = QStringLiteral("Desktop and Slack alerts go out at any hour.");
    else if (fromMinute == untilMinute)
        summary = QStringLiteral("The quiet hours start and end at %1, so no alert would be held: pick two "
                                 "different times.")
                      .arg(from);
    else if (fromMinute > untilMinute)
        summary = QStringLiteral("Alerts are held every night from %1 until %2 the next morning.").arg(from, until);
    else
        summary = QStringLiteral("Alerts are held every day from %1 until %2.").arg(from, until);
    m_quietSummary->setText(summary);
    m_quietSummary->setStyleSheet(quiet && fromMinute == untilMinute ? QString::fromLatin1(kProblemStyle) : QString());
    updateValidity();
}

bool RulesDialog::updateValidity()
{
    const QStringList problems = m_overrides->problems();
    QStringList shown = problems.mid(0, kProblemLines);
    if (problems.size() > kProblemLines)
        shown.append(QStringLiteral("… and %1 more rows to put right.").arg(problems.size() - kProblemLines));
    m_problems->setText(shown.join(u'\n'));
    m_problems->setVisible(!problems.isEmpty());
    const bool quietOk = !m_quiet->isChecked() || minuteOfDay(m_quietFrom->time()) != minuteOfDay(m_quietUntil->time());
    const bool ok = problems.isEmpty() && quietOk;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    return ok;
}

void RulesDialog::accept()
{
    commitOpenEditor();
    if (!updateValidity())
        return;
    QDialog::accept();
}

} // namespace peakwatch::ui
