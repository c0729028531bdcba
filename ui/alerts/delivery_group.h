// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "delivery_dialog.h"

#include <QGroupBox>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QLineEdit;
class QPushButton;
class QSettings;

namespace peakwatch {
class AlertSink;
}

namespace peakwatch::ui {

// One destination of DeliveryDialog whose secrets (an SMTP URL, a Jira site with its token, a webhook and its
// signing key) live in the dialog's SecretStore: its fields, its Remove button and its "Send a test alert". The
// secrets are never shown back: a stored one shows as a placeholder. The first secret decides whether the
// destination is on; Remove forgets them all when the dialog is saved.
class DeliveryGroup : public QGroupBox {
    Q_OBJECT
public:
    using Op = DeliveryDialog::Op;

    DeliveryGroup(const QString &title, DeliveryDialog &dialog);
    ~DeliveryGroup() override;
    Q_DISABLE_COPY_MOVE(DeliveryGroup)

    // The keys of the secrets, in the order they were added.
    QStringList secretKeys() const;
    // Whether the store being read holds `key` (from the dialog's check), or none of them (a new check begins).
    void setStored(const QString &key, bool stored);
    void clearStored();
    void showStored();
    void setShowSecrets(bool show);
    // Whether alerts go here once saved: the first secret typed, or stored and not removed.
    bool configured() const { return present(0); }
    // Adds what saving does to the store; false, with the error shown, when the form is not valid.
    bool addToPlan(std::vector<Op> &plan, bool moving);
    // The plain fields, and whether the destination is on, in the connection's settings group.
    virtual void save(QSettings &settings) const = 0;
    void saved(); // the plan ran: what was removed is gone
    // Its widgets in keyboard order.
    virtual QList<QWidget *> tabChain() const = 0;

protected:
    // A secret field, stored at `key`; `what` names it in messages ("the SMTP server's URL").
    QLineEdit *addSecret(const QString &objectName, const QString &key, const QString &what, const QString &example,
                         const QString &toolTip);
    QLineEdit *secretField(std::size_t index) const { return m_secrets[index].edit; }
    // Typed, or stored and not removed.
    bool present(std::size_t index) const;
    QString typed(std::size_t index) const;
    bool removing() const { return m_removing; } // Remove pressed and not undone
    // What is wrong with the form (the secrets typed and the plain fields), and where; empty when it is valid.
    virtual QString problem(QWidget *&where) const = 0;
    // The destination's sink for a test, from the secrets (typed, else stored) in the order added; null with
    // `error` when they cannot be used.
    virtual std::unique_ptr<AlertSink> makeSink(const QStringList &secrets, QString &error) const = 0;
    // "e-mail to ops@example.com", for the test alert's text.
    virtual QString destination() const = 0;
    // "Send a test alert" and its outcome, named `objectName`.
    void makeTest(const QString &objectName, const QString &toolTip);
    QPushButton *testButton() const { return m_test.button; }
    QWidget *testOutcome() const;
    QPushButton *removeButton() const { return m_remove; }
    void test();

private:
    struct Secret {
        QLineEdit *edit = nullptr;
        QString key;
        QString what;
        QString example;
        bool stored = false;
    };
    void resolve(std::size_t index, QStringList found);

    DeliveryDialog &m_dialog;
    std::vector<Secret> m_secrets;
    bool m_removing = false; // Remove pressed: the stored secrets go when the dialog is saved
    QPushButton *m_remove;
    DeliveryDialog::TestControls m_test;
};

} // namespace peakwatch::ui
