// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The alert rules editor as a store manager uses it, offscreen: it shows the rules it was opened with,
// hands back what was changed in its widgets, refuses override rows that name nothing, and its overrides
// model keeps 64-bit product ids exact.
#include "alert_rules.h"
#include "rule_overrides_model.h"
#include "rules_dialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTimeEdit>

#include <limits>
#include <optional>

using namespace peakwatch;
using namespace peakwatch::ui;

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kAbove2To53 = (qint64(1) << 53) + 1; // 9007199254740993: a double would make it ...992

RuleSet ruleSet(qint64 lowStock, qint64 horizonMinutes, qint64 cooldownMinutes,
                std::array<bool, kAlertRuleCount> enabled = {true, true, true, true})
{
    RuleSet rules;
    rules.lowStock = lowStock;
    rules.horizonMs = horizonMinutes * kMinuteMs;
    rules.cooldownMs = cooldownMinutes * kMinuteMs;
    rules.enabled = enabled;
    return rules;
}

// Defaults that differ from RuleSet{} in every field, quiet hours over midnight and three overrides.
AlertRules sampleRules()
{
    AlertRules rules;
    rules.setDefaults(ruleSet(25, 90, 45, {true, false, true, false}));
    rules.setQuietHours(QuietHours{22 * 60, 7 * 60});
    rules.setOverride("a.myshopify.com", 0, ruleSet(40, 60, 15, {true, false, true, false}));
    rules.setOverride({}, kAbove2To53, ruleSet(3, 30, 10, {true, false, true, false}));
    rules.setOverride("b.myshopify.com", 8841726390317, ruleSet(5, 240, 0, {false, false, true, false}));
    return rules;
}

template <typename T> T *child(QWidget &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

QPushButton *okButton(QWidget &dialog)
{
    return child<QDialogButtonBox>(dialog, "buttons")->button(QDialogButtonBox::Ok);
}

// Types `text` over what a spin box shows, as a user selecting its text and typing does.
void typeInto(QAbstractSpinBox *box, const QString &text)
{
    box->selectAll();
    QTest::keyClicks(box, text);
}

bool sameRuleSet(const RuleSet &a, const RuleSet &b)
{
    return a.lowStock == b.lowStock && a.horizonMs == b.horizonMs && a.cooldownMs == b.cooldownMs &&
           a.enabled == b.enabled;
}

} // namespace

class TstUiRules final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsTheRulesItWasOpenedWith();
    void acceptingGivesWhatWasChangedInTheWidgets();
    void returnInATableCellKeepsTheEditWithoutClosing();
    void acceptWeighsTheCellBeingEdited();
    void emptyOverrideRowKeepsOkDisabledAndNamesTheRow();
    void badOverrideRowsAreNamed_data();
    void badOverrideRowsAreNamed();
    void removingARowDropsItsOverride();
    void deleteKeyRemovesTheSelectedRows();
    void quietHoursOffGivesNone();
    void quietHoursSpanMidnightButNeedTwoTimes();
    void resetSetsDefaultsBackAndKeepsOverrides();
    void tabGoesDownTheForm();
    void productIdsParseExactly_data();
    void productIdsParseExactly();
    void overridesModelPassesTheTester();
    void followingRowsTakeTheDefaultsAlertsOnOff();
};

void TstUiRules::showsTheRulesItWasOpenedWith()
{
    const AlertRules rules = sampleRules();
    RulesDialog dialog(rules);

    QCOMPARE(child<QSpinBox>(dialog, "lowStock")->value(), 25);
    QCOMPARE(child<QSpinBox>(dialog, "horizon")->value(), 90);
    QCOMPARE(child<QSpinBox>(dialog, "cooldown")->value(), 45);
    QCOMPARE(child<QLabel>(dialog, "horizonHint")->text(), QStringLiteral("= 1 h 30 min"));
    QVERIFY(child<QCheckBox>(dialog, "alertLowStock")->isChecked());
    QVERIFY(!child<QCheckBox>(dialog, "alertSellingOut")->isChecked());
    QVERIFY(child<QCheckBox>(dialog, "alertSoldOut")->isChecked());
    QVERIFY(!child<QCheckBox>(dialog, "alertRestocked")->isChecked());

    QVERIFY(child<QCheckBox>(dialog, "quietHours")->isChecked());
    QCOMPARE(child<QTimeEdit>(dialog, "quietFrom")->time(), QTime(22, 0));
    QCOMPARE(child<QTimeEdit>(dialog, "quietUntil")->time(), QTime(7, 0));
    QVERIFY(child<QTimeEdit>(dialog, "quietFrom")->isEnabled());
    QVERIFY2(child<QLabel>(dialog, "quietSummary")->text().contains(QStringLiteral("until 07:00 the next morning")),
             qPrintable(child<QLabel>(dialog, "quietSummary")->text()));

    const QAbstractItemModel *model = child<QTableView>(dialog, "overrides")->model();
    QCOMPARE(model->rowCount(), 3);
    // By shop, then product: the product in any shop first.
    auto cell = [model](int row, int column, int role = Qt::DisplayRole) {
        return model->index(row, column).data(role).toString();
    };
    QCOMPARE(cell(0, RuleOverridesModel::Shop), QStringLiteral("Any shop"));
    QCOMPARE(cell(0, RuleOverridesModel::Shop, Qt::EditRole), QString());
    QCOMPARE(cell(0, RuleOverridesModel::ProductId), QStringLiteral("9007199254740993"));
    QCOMPARE(cell(0, RuleOverridesModel::LowStock), QStringLiteral("3"));
    QCOMPARE(cell(0, RuleOverridesModel::Horizon), QStringLiteral("30 min"));
    QCOMPARE(cell(1, RuleOverridesModel::Shop), QStringLiteral("a.myshopify.com"));
    QCOMPARE(cell(1, RuleOverridesModel::ProductId), QStringLiteral("Any product"));
    QCOMPARE(cell(2, RuleOverridesModel::ProductId), QStringLiteral("8841726390317"));
    QCOMPARE(cell(2, RuleOverridesModel::Cooldown), QStringLiteral("0 min"));

    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(!child<QLabel>(dialog, "overrideProblems")->isVisibleTo(&dialog));
    // Opened and accepted untouched, the rules are the same, to the byte of their file.
    QCOMPARE(dialog.rules().toJson(), rules.toJson());
    QCOMPARE(dialog.rules().ruleSetFor("", kAbove2To53).lowStock, 3);
    QCOMPARE(dialog.rules().ruleSetFor("", kAbove2To53 - 1).lowStock, 25);
}

void TstUiRules::acceptingGivesWhatWasChangedInTheWidgets()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    typeInto(child<QSpinBox>(dialog, "lowStock"), QStringLiteral("12"));
    typeInto(child<QSpinBox>(dialog, "horizon"), QStringLiteral("180"));
    child<QSpinBox>(dialog, "cooldown")->setValue(5);
    QTest::mouseClick(child<QCheckBox>(dialog, "alertSellingOut"), Qt::LeftButton);
    QTest::keyClick(child<QCheckBox>(dialog, "alertSoldOut"), Qt::Key_Space);
    child<QTimeEdit>(dialog, "quietFrom")->setTime(QTime(21, 30));
    child<QTimeEdit>(dialog, "quietUntil")->setTime(QTime(6, 45));
    QCOMPARE(child<QLabel>(dialog, "horizonHint")->text(), QStringLiteral("= 3 h"));

    // The low stock of the override for 2^53 + 1, typed into the table's editor.
    auto *table = child<QTableView>(dialog, "overrides");
    const QModelIndex lowStock = table->model()->index(0, RuleOverridesModel::LowStock);
    table->setCurrentIndex(lowStock);
    table->edit(lowStock);
    auto *editor = qobject_cast<QSpinBox *>(table->indexWidget(lowStock));
    QVERIFY(editor);
    typeInto(editor, QStringLiteral("8"));

    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    const AlertRules rules = dialog.rules();
    QVERIFY(sameRuleSet(rules.defaults(), ruleSet(12, 180, 5, {true, true, false, false})));
    QCOMPARE(rules.quietHours(), std::optional(QuietHours{21 * 60 + 30, 6 * 60 + 45}));
    const auto overrides = rules.overrides();
    QCOMPARE(overrides.size(), size_t(3));
    QCOMPARE(overrides[0].shop, QByteArray());
    QCOMPARE(overrides[0].productId, kAbove2To53);
    // The open editor's value was kept although OK was clicked without leaving the cell; its alerts
    // on/off followed the defaults, as they were the defaults' when opened.
    QVERIFY(sameRuleSet(overrides[0].rules, ruleSet(8, 30, 10, {true, true, false, false})));
    QCOMPARE(overrides[2].productId, qint64(8841726390317));
    // This one had its own alerts on/off in the file, and keeps them.
    QVERIFY(sameRuleSet(overrides[2].rules, ruleSet(5, 240, 0, {false, false, true, false})));

    // What the rules file would hold reads back as the same rules.
    const QByteArray json = rules.toJson();
    const auto reread = AlertRules::fromJson(json);
    QVERIFY2(reread, qPrintable(reread ? QString() : reread.error()));
    QCOMPARE(reread->toJson(), json);
    QCOMPARE(reread->overrides()[0].productId, kAbove2To53);
    QVERIFY(json.contains("\"9007199254740993\""));
}

void TstUiRules::returnInATableCellKeepsTheEditWithoutClosing()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *table = child<QTableView>(dialog, "overrides");
    const QModelIndex shop = table->model()->index(1, RuleOverridesModel::Shop);
    table->setCurrentIndex(shop);
    table->edit(shop);
    auto *editor = qobject_cast<QLineEdit *>(table->indexWidget(shop));
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("https://C.myshopify.com/"));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QTest::keyClick(editor, Qt::Key_Return);

    QCOMPARE(accepted.size(), 0);
    QVERIFY(dialog.isVisible());
    // Pasted as an address, kept as the domain the webhooks name.
    QCOMPARE(shop.data(Qt::EditRole).toString(), QStringLiteral("c.myshopify.com"));
    QTRY_VERIFY(!table->indexWidget(shop));
}

void TstUiRules::acceptWeighsTheCellBeingEdited()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *table = child<QTableView>(dialog, "overrides");
    auto edit = [&](int row, int column, const QString &text) {
        const QModelIndex cell = table->model()->index(row, column);
        table->setCurrentIndex(cell);
        table->edit(cell);
        QWidget *editor = table->indexWidget(cell);
        if (auto *box = qobject_cast<QAbstractSpinBox *>(editor))
            box->selectAll();
        else if (auto *line = qobject_cast<QLineEdit *>(editor))
            line->selectAll();
        QTest::keyClicks(editor, text);
        return editor != nullptr;
    };
    // Accepted (as a shortcut would) while a valid row is being made invalid: refused, and said why.
    QVERIFY(edit(1, RuleOverridesModel::Shop, QStringLiteral("my store")));
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY(child<QLabel>(dialog, "overrideProblems")->text().startsWith(QStringLiteral("Row 2: “my store”")));

    QVERIFY(edit(1, RuleOverridesModel::Shop, QStringLiteral("f.myshopify.com")));
    QVERIFY(edit(2, RuleOverridesModel::Cooldown, QStringLiteral("12")));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.rules().ruleSetFor("f.myshopify.com", 1).lowStock, 40);
    QCOMPARE(dialog.rules().ruleSetFor("b.myshopify.com", 8841726390317).cooldownMs, 12 * kMinuteMs);
}

void TstUiRules::emptyOverrideRowKeepsOkDisabledAndNamesTheRow()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *table = child<QTableView>(dialog, "overrides");
    auto *problems = child<QLabel>(dialog, "overrideProblems");
    QVERIFY(okButton(dialog)->isEnabled());

    QTest::mouseClick(child<QPushButton>(dialog, "addOverride"), Qt::LeftButton);
    QCOMPARE(table->model()->rowCount(), 4);
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY(problems->isVisibleTo(&dialog));
    QCOMPARE(problems->text(), QStringLiteral("Row 4: give a shop domain, a product ID or both."));
    // The new row starts from the thresholds shown above, and its shop is ready to be typed.
    QCOMPARE(table->model()->index(3, RuleOverridesModel::LowStock).data(Qt::EditRole).toLongLong(), 25);
    QCOMPARE(table->model()->index(3, RuleOverridesModel::Horizon).data(Qt::EditRole).toLongLong(), 90);
    const QModelIndex shop = table->model()->index(3, RuleOverridesModel::Shop);
    QCOMPARE(table->currentIndex(), shop);

    // OK refuses too when asked directly.
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));

    auto *editor = qobject_cast<QLineEdit *>(table->indexWidget(shop));
    QVERIFY(editor);
    QTest::keyClicks(editor, QStringLiteral("d.myshopify.com"));
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(!problems->isVisibleTo(&dialog));
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.rules().ruleSetFor("d.myshopify.com", 1).lowStock, 25);
    QCOMPARE(dialog.rules().overrides().size(), size_t(4));
}

void TstUiRules::badOverrideRowsAreNamed_data()
{
    QTest::addColumn<QString>("shop");
    QTest::addColumn<QString>("productId");
    QTest::addColumn<QString>("problem");
    QTest::addRow("neither shop nor product")
        << QString() << QString() << QStringLiteral("Row 4: give a shop domain, a product ID or both.");
    QTest::addRow("a product id that is not a number")
        << QString() << QStringLiteral("abc") << QStringLiteral("Row 4: “abc” is not a product ID");
    QTest::addRow("a product id above 2^63") << QString() << QStringLiteral("9223372036854775808")
                                             << QStringLiteral("Row 4: “9223372036854775808” is not a product ID");
    QTest::addRow("a shop name without its domain")
        << QStringLiteral("my store") << QString() << QStringLiteral("Row 4: “my store” is not a shop domain");
    QTest::addRow("the same product as an earlier row")
        << QString() << QStringLiteral("9007199254740993")
        << QStringLiteral("Row 4: names the same shop and product as row 1; remove one of them.");
    QTest::addRow("the same shop as an earlier row")
        << QStringLiteral("A.myshopify.com") << QString()
        << QStringLiteral("Row 4: names the same shop and product as row 2; remove one of them.");
}

void TstUiRules::badOverrideRowsAreNamed()
{
    QFETCH(QString, shop);
    QFETCH(QString, productId);
    QFETCH(QString, problem);
    RulesDialog dialog(sampleRules());
    auto *model = child<QTableView>(dialog, "overrides")->model();
    QTest::mouseClick(child<QPushButton>(dialog, "addOverride"), Qt::LeftButton);
    QVERIFY(model->setData(model->index(3, RuleOverridesModel::Shop), shop));
    QVERIFY(model->setData(model->index(3, RuleOverridesModel::ProductId), productId));
    const QString shown = child<QLabel>(dialog, "overrideProblems")->text();
    QVERIFY2(shown.startsWith(problem), qPrintable(shown));
    QVERIFY(!okButton(dialog)->isEnabled());
    QCOMPARE(model->index(3, 0).data(RuleOverridesModel::ProblemRole).toString(), shown.mid(7));
    // Put right, the row is accepted.
    QVERIFY(model->setData(model->index(3, RuleOverridesModel::Shop), QStringLiteral("e.myshopify.com")));
    QVERIFY(model->setData(model->index(3, RuleOverridesModel::ProductId), QStringLiteral("77")));
    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(child<QLabel>(dialog, "overrideProblems")->text().isEmpty());
}

void TstUiRules::removingARowDropsItsOverride()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *table = child<QTableView>(dialog, "overrides");
    auto *remove = child<QPushButton>(dialog, "removeOverride");
    QVERIFY(!remove->isEnabled());

    table->selectRow(1); // a.myshopify.com
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(table->model()->rowCount(), 2);
    QCOMPARE(table->model()->index(1, RuleOverridesModel::Shop).data().toString(), QStringLiteral("b.myshopify.com"));

    // An invalid row removed no longer holds OK back.
    QTest::mouseClick(child<QPushButton>(dialog, "addOverride"), Qt::LeftButton);
    QVERIFY(!okButton(dialog)->isEnabled());
    QTest::keyClick(table->indexWidget(table->currentIndex()), Qt::Key_Escape);
    table->selectRow(2);
    QTest::mouseClick(remove, Qt::LeftButton);
    QVERIFY(okButton(dialog)->isEnabled());

    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const auto overrides = dialog.rules().overrides();
    QCOMPARE(overrides.size(), size_t(2));
    QCOMPARE(overrides[0].productId, kAbove2To53);
    QCOMPARE(overrides[1].shop, QByteArray("b.myshopify.com"));
    QCOMPARE(dialog.rules().ruleSetFor("a.myshopify.com", 5).lowStock, 25);
}

void TstUiRules::deleteKeyRemovesTheSelectedRows()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QApplication::setActiveWindow(&dialog);
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    auto *table = child<QTableView>(dialog, "overrides");
    table->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), table);
    table->selectRow(0);
    QTest::keyClick(table, Qt::Key_Down, Qt::ShiftModifier); // rows 1 and 2
    QTest::keyClick(table, Qt::Key_Delete);
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, RuleOverridesModel::Shop).data().toString(), QStringLiteral("b.myshopify.com"));
    // The row left is selected, so Delete again empties the table.
    QTest::keyClick(table, Qt::Key_Delete);
    QCOMPARE(table->model()->rowCount(), 0);
    QVERIFY(!child<QPushButton>(dialog, "removeOverride")->isEnabled());
    QVERIFY(dialog.rules().overrides().empty());
}

void TstUiRules::quietHoursOffGivesNone()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *quiet = child<QCheckBox>(dialog, "quietHours");
    QTest::mouseClick(quiet, Qt::LeftButton, {}, QPoint(quiet->height() / 2, quiet->height() / 2)); // its box
    QVERIFY(!quiet->isChecked());
    QVERIFY(!child<QTimeEdit>(dialog, "quietFrom")->isEnabled());
    QVERIFY(!child<QTimeEdit>(dialog, "quietUntil")->isEnabled());
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.rules().quietHours(), std::nullopt);
    QVERIFY(!dialog.rules().toJson().contains("quiet_hours"));

    // Opened without quiet hours, the box is clear and stays so.
    RulesDialog plain{AlertRules()};
    QVERIFY(!child<QCheckBox>(plain, "quietHours")->isChecked());
    QCOMPARE(plain.rules().quietHours(), std::nullopt);
}

void TstUiRules::quietHoursSpanMidnightButNeedTwoTimes()
{
    RulesDialog dialog{AlertRules()};
    auto *from = child<QTimeEdit>(dialog, "quietFrom");
    auto *until = child<QTimeEdit>(dialog, "quietUntil");
    auto *summary = child<QLabel>(dialog, "quietSummary");
    QTest::keyClick(child<QCheckBox>(dialog, "quietHours"), Qt::Key_Space);
    QVERIFY(from->isEnabled());

    from->setTime(QTime(23, 0));
    until->setTime(QTime(6, 0));
    QVERIFY(okButton(dialog)->isEnabled());
    QCOMPARE(summary->text(), QStringLiteral("Alerts are held every night from 23:00 until 06:00 the next morning."));
    QCOMPARE(dialog.rules().quietHours(), std::optional(QuietHours{23 * 60, 6 * 60}));

    from->setTime(QTime(12, 0));
    until->setTime(QTime(14, 0));
    QCOMPARE(summary->text(), QStringLiteral("Alerts are held every day from 12:00 until 14:00."));
    QVERIFY(okButton(dialog)->isEnabled());

    until->setTime(QTime(12, 0));
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY2(summary->text().contains(QStringLiteral("pick two different times")), qPrintable(summary->text()));
    // Unticked, the times no longer matter.
    QTest::keyClick(child<QCheckBox>(dialog, "quietHours"), Qt::Key_Space);
    QVERIFY(okButton(dialog)->isEnabled());
}

void TstUiRules::resetSetsDefaultsBackAndKeepsOverrides()
{
    RulesDialog dialog(sampleRules());
    QTest::mouseClick(child<QPushButton>(dialog, "resetToDefaults"), Qt::LeftButton);
    const AlertRules rules = dialog.rules();
    QVERIFY(sameRuleSet(rules.defaults(), RuleSet{}));
    QCOMPARE(rules.quietHours(), std::nullopt);
    QCOMPARE(child<QTimeEdit>(dialog, "quietFrom")->time(), QTime(22, 0));
    QCOMPARE(rules.overrides().size(), size_t(3));
    QCOMPARE(rules.ruleSetFor("b.myshopify.com", 8841726390317).lowStock, 5);
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // still open, nothing accepted
}

void TstUiRules::tabGoesDownTheForm()
{
    RulesDialog dialog(sampleRules());
    dialog.show();
    QApplication::setActiveWindow(&dialog);
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    child<QTableView>(dialog, "overrides")->selectRow(0); // Remove is skipped while there is nothing to remove
    child<QSpinBox>(dialog, "lowStock")->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), child<QSpinBox>(dialog, "lowStock"));

    // Tab goes through a time's hour and minutes before it leaves it, as in any Qt time field.
    QStringList visited;
    for (int i = 0; i < 15; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        const QString name = QApplication::focusWidget() ? QApplication::focusWidget()->objectName() : QString();
        if (visited.isEmpty() || visited.last() != name)
            visited.append(name);
    }
    const QStringList expected{
        QStringLiteral("horizon"),         QStringLiteral("cooldown"),     QStringLiteral("alertLowStock"),
        QStringLiteral("alertSellingOut"), QStringLiteral("alertSoldOut"), QStringLiteral("alertRestocked"),
        QStringLiteral("quietHours"),      QStringLiteral("quietFrom"),    QStringLiteral("quietUntil"),
        QStringLiteral("overrides"),       QStringLiteral("addOverride"),  QStringLiteral("removeOverride"),
        QStringLiteral("resetToDefaults")};
    QCOMPARE(visited.mid(0, expected.size()), expected);
    // Reset is the first of the dialog's own buttons; OK and Cancel follow.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    const auto *buttons = child<QDialogButtonBox>(dialog, "buttons");
    QVERIFY(QApplication::focusWidget() == buttons->button(QDialogButtonBox::Ok) ||
            QApplication::focusWidget() == buttons->button(QDialogButtonBox::Cancel));
}

void TstUiRules::productIdsParseExactly_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<qint64>>("id");
    QTest::addRow("plain") << QStringLiteral("8841726390317") << std::optional<qint64>(8841726390317);
    QTest::addRow("2^53 + 1, which a double rounds")
        << QStringLiteral("9007199254740993") << std::optional<qint64>(kAbove2To53);
    QTest::addRow("the largest") << QStringLiteral("9223372036854775807")
                                 << std::optional<qint64>(std::numeric_limits<qint64>::max());
    QTest::addRow("too large") << QStringLiteral("9223372036854775808") << std::optional<qint64>();
    QTest::addRow("spaces around") << QStringLiteral("  42 ") << std::optional<qint64>(42);
    QTest::addRow("admin GraphQL id") << QStringLiteral("gid://shopify/Product/9007199254740993")
                                      << std::optional<qint64>(kAbove2To53);
    QTest::addRow("admin address") << QStringLiteral("https://admin.shopify.com/store/peak/products/8841726390317")
                                   << std::optional<qint64>(8841726390317);
    QTest::addRow("zero") << QStringLiteral("0") << std::optional<qint64>();
    QTest::addRow("negative") << QStringLiteral("-5") << std::optional<qint64>();
    QTest::addRow("plus sign") << QStringLiteral("+5") << std::optional<qint64>();
    QTest::addRow("exponent") << QStringLiteral("1e5") << std::optional<qint64>();
    QTest::addRow("decimal") << QStringLiteral("12.0") << std::optional<qint64>();
    QTest::addRow("space inside") << QStringLiteral("12 34") << std::optional<qint64>();
    QTest::addRow("empty") << QString() << std::optional<qint64>();
}

void TstUiRules::productIdsParseExactly()
{
    QFETCH(QString, text);
    QFETCH(std::optional<qint64>, id);
    QCOMPARE(RuleOverridesModel::parseProductId(text), id);
}

void TstUiRules::overridesModelPassesTheTester()
{
    RuleOverridesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const AlertRules rules = sampleRules();
    model.setOverrides(rules.overrides(), rules.defaults());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(RuleOverridesModel::ColumnCount));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QCOMPARE(model.addRow(ruleSet(9, 20, 30)), 3);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.problem(3), QStringLiteral("give a shop domain, a product ID or both."));
    QCOMPARE(model.problems().size(), 1);
    QVERIFY(!model.isValid());

    QVERIFY(model.setData(model.index(3, RuleOverridesModel::ProductId), QStringLiteral("9223372036854775807")));
    QVERIFY(model.setData(model.index(3, RuleOverridesModel::LowStock), 11));
    QVERIFY(model.setData(model.index(3, RuleOverridesModel::Horizon), QStringLiteral("45")));
    QVERIFY(model.setData(model.index(3, RuleOverridesModel::Cooldown), qint64(0)));
    QVERIFY(!model.setData(model.index(3, RuleOverridesModel::LowStock), -1));
    QVERIFY(!model.setData(model.index(3, RuleOverridesModel::Horizon), RuleOverridesModel::kMaxMinutes + 1));
    QVERIFY(!model.setData(model.index(3, RuleOverridesModel::Cooldown), QStringLiteral("soon")));
    QVERIFY(!model.setData(model.index(3, RuleOverridesModel::Shop), QStringLiteral("x"), Qt::DisplayRole));
    QVERIFY(model.isValid());
    QCOMPARE(model.index(3, RuleOverridesModel::Horizon).data().toString(), QStringLiteral("45 min"));
    QVERIFY(model.flags(model.index(3, RuleOverridesModel::Shop)).testFlag(Qt::ItemIsEditable));
    QCOMPARE(model.headerData(3, Qt::Vertical).toInt(), 4);

    AlertRules out;
    out.setDefaults(rules.defaults());
    model.applyTo(out);
    QCOMPARE(out.overrides().size(), size_t(4));
    QVERIFY(sameRuleSet(out.ruleSetFor("any.myshopify.com", std::numeric_limits<qint64>::max()),
                        ruleSet(11, 45, 0, rules.defaults().enabled)));

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(!model.removeRows(2, 3));
    QVERIFY(model.removeRows(0, 2));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, RuleOverridesModel::ProductId).data().toString(), QStringLiteral("8841726390317"));
    model.setOverrides({}, RuleSet{});
    QCOMPARE(model.rowCount(), 0);
}

void TstUiRules::followingRowsTakeTheDefaultsAlertsOnOff()
{
    // An override whose alerts on/off were the defaults' follows the defaults when they change.
    RulesDialog dialog(sampleRules());
    QTest::keyClick(child<QCheckBox>(dialog, "alertRestocked"), Qt::Key_Space);
    const AlertRules rules = dialog.rules();
    const std::array<bool, kAlertRuleCount> now{true, false, true, true};
    QCOMPARE(rules.defaults().enabled, now);
    QCOMPARE(rules.ruleSetFor("a.myshopify.com", 1).enabled, now);
    QCOMPARE(rules.ruleSetFor("", kAbove2To53).enabled, now);
    // One with alerts of its own keeps them.
    const std::array<bool, kAlertRuleCount> own{false, false, true, false};
    QCOMPARE(rules.ruleSetFor("b.myshopify.com", 8841726390317).enabled, own);
}

QTEST_MAIN(TstUiRules)
#include "tst_ui_rules.moc"
