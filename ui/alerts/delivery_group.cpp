// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "delivery_group.h"

#include "alert_sink.h"
#include "secret_store.h"

#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QStringBuilder>

namespace peakwatch::ui {

DeliveryGroup::DeliveryGroup(const QString &title, DeliveryDialog &dialog)
    : QGroupBox(title, &dialog)
    , m_dialog(dialog)
    , m_remove(new QPushButton(QStringLiteral("Remove"), this))
{
    m_remove->setToolTip(title % QStringLiteral(": forget what is stored when you press Save"));
    connect(m_remove, &QPushButton::clicked, this, [this] {
        for (Secret &s : m_secrets)
            s.edit->clear();
        m_removing = true;
        showStored();
    });
}

DeliveryGroup::~DeliveryGroup() = default;

QLineEdit *DeliveryGroup::addSecret(const QString &objectName, const QString &key, const QString &what,
                                    const QString &example, const QString &toolTip)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(objectName);
    edit->setEchoMode(QLineEdit::Password);
    edit->setToolTip(toolTip % QStringLiteral(" Kept in the system keychain (or for this session only), never in the "
                                              "settings file, and never shown again."));
    connect(edit, &QLineEdit::textChanged, this, &DeliveryGroup::showStored);
    m_secrets.push_back({edit, key, what, example, false});
    showStored();
    return edit;
}

QStringList DeliveryGroup::secretKeys() const
{
    QStringList keys;
    for (const Secret &s : m_secrets)
        keys << s.key;
    return keys;
}

void DeliveryGroup::setStored(const QString &key, bool stored)
{
    for (Secret &s : m_secrets)
        if (s.key == key)
            s.stored = stored;
    showStored();
}

void DeliveryGroup::clearStored()
{
    for (Secret &s : m_secrets)
        s.stored = false;
    showStored();
}

bool DeliveryGroup::present(std::size_t index) const
{
    const Secret &s = m_secrets[index];
    return !typed(index).isEmpty() || (s.stored && !m_removing);
}

QString DeliveryGroup::typed(std::size_t index) const
{
    return m_secrets[index].edit->text().trimmed();
}

void DeliveryGroup::showStored()
{
    bool removable = false;
    for (const Secret &s : m_secrets) {
        if (m_removing && s.stored)
            s.edit->setPlaceholderText(m_dialog.removedPlaceholderText());
        else if (s.stored)
            s.edit->setPlaceholderText(m_dialog.storedPlaceholderText());
        else
            s.edit->setPlaceholderText(s.example);
        removable = removable || (s.stored && !m_removing) || !s.edit->text().isEmpty();
    }
    m_remove->setEnabled(removable);
}

void DeliveryGroup::setShowSecrets(bool show)
{
    for (const Secret &s : m_secrets)
        s.edit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
}

bool DeliveryGroup::addToPlan(std::vector<Op> &plan, bool moving)
{
    QWidget *where = nullptr;
    if (const QString error = problem(where); !error.isEmpty()) {
        m_dialog.showError(error);
        if (where)
            where->setFocus();
        return false;
    }
    for (std::size_t i = 0; i < m_secrets.size(); ++i) {
        const Secret &s = m_secrets[i];
        if (const QString secret = typed(i); !secret.isEmpty())
            plan.push_back({Op::Write, s.key, secret, s.what});
        else if (m_removing && s.stored)
            plan.push_back({Op::Remove, s.key, QString(), s.what});
        else if (s.stored && moving)
            plan.push_back({Op::Copy, s.key, QString(), s.what});
    }
    return true;
}

void DeliveryGroup::saved()
{
    m_removing = false;
}

void DeliveryGroup::makeTest(const QString &objectName, const QString &toolTip)
{
    m_test = m_dialog.makeTest(objectName, toolTip);
    m_test.button->setParent(this);
    m_test.outcome->setParent(this);
    m_test.outcome->hide();
    connect(m_test.button, &QPushButton::clicked, this, &DeliveryGroup::test);
}

QWidget *DeliveryGroup::testOutcome() const
{
    return m_test.outcome;
}

void DeliveryGroup::test()
{
    resolve(0, {});
}

// The secrets for a test, one at a time: typed, else read from the store the dialog shows as stored.
void DeliveryGroup::resolve(std::size_t index, QStringList found)
{
    if (index == m_secrets.size()) {
        QString error;
        std::unique_ptr<AlertSink> sink = makeSink(found, error);
        m_dialog.sendTest(m_test, destination(), std::move(sink), error);
        return;
    }
    const Secret &s = m_secrets[index];
    const QString missing = QStringLiteral("enter ") % s.what % QStringLiteral(" first.");
    if (const QString secret = typed(index); !secret.isEmpty()) {
        resolve(index + 1, found << secret);
        return;
    }
    if (!s.stored || m_removing) {
        DeliveryDialog::showTestOutcome(m_test, false, missing);
        return;
    }
    m_test.button->setEnabled(false);
    const QPointer<DeliveryGroup> self(this);
    m_dialog.m_source->read(s.key, [self, index, found, missing](Result<std::optional<QString>> read) mutable {
        if (!self)
            return;
        if (!read)
            DeliveryDialog::showTestOutcome(self->m_test, false, read.error());
        else if (!read->has_value())
            DeliveryDialog::showTestOutcome(self->m_test, false, missing);
        else
            self->resolve(index + 1, found << **read);
    });
}

} // namespace peakwatch::ui
