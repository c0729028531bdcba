// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"

#include <QDialog>

#include <array>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimeEdit;

namespace peakwatch::ui {

class RuleOverridesModel;

// Edits the alert rules: the thresholds every product is judged by, which alerts are on, the quiet hours
// in which desktop and Slack alerts are held, and per-shop or per-product overrides. OK stays disabled
// while something is wrong, and the dialog says what.
class RulesDialog final : public QDialog {
    Q_OBJECT
public:
    explicit RulesDialog(const AlertRules &rules, QWidget *parent = nullptr);

    // What the user set; call it after accept().
    AlertRules rules() const;

    void accept() override;

private:
    RuleSet defaultsShown() const;
    void showDefaults(const RuleSet &defaults);
    void showQuietHours(const std::optional<QuietHours> &hours);
    void resetToDefaults();
    void addOverride();
    void removeSelectedOverrides();
    void commitOpenEditor();
    void updateTexts();
    // Shows what is wrong, if anything, and enables OK when nothing is; returns whether all is well.
    bool updateValidity();

    QSpinBox *m_lowStock;
    QSpinBox *m_horizon;
    QSpinBox *m_cooldown;
    QLabel *m_horizonHint;
    QLabel *m_cooldownHint;
    std::array<QCheckBox *, kAlertRuleCount> m_enabled{};
    std::array<QLabel *, kAlertRuleCount> m_ruleTexts{};
    QCheckBox *m_quiet;
    QTimeEdit *m_quietFrom;
    QTimeEdit *m_quietUntil;
    QLabel *m_quietSummary;
    RuleOverridesModel *m_overrides;
    QTableView *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_problems;
    QDialogButtonBox *m_buttons;
    QPushButton *m_reset;
};

} // namespace peakwatch::ui
