// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "email_delivery_group.h"

#include "email_recipients.h"
#include "email_sink.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QStringBuilder>

namespace peakwatch::ui {
namespace {

const QString kEmail = QStringLiteral("email");
const QString kEmailTo = QStringLiteral("emailTo");
const QString kEmailShopTo = QStringLiteral("emailShopTo");
const QString kEmailFrom = QStringLiteral("emailFrom");
const QString kEmailDigestMinutes = QStringLiteral("emailDigestMinutes");

} // namespace

EmailDeliveryGroup::EmailDeliveryGroup(const QString &connection, const DeliverySettings &settings,
                                       DeliveryDialog &dialog)
    : DeliveryGroup(QStringLiteral("E-mail"), dialog)
    , m_to(new QLineEdit(settings.emailTo.join(QStringLiteral(", ")), this))
    , m_shopTo(new QPlainTextEdit(settings.emailShopTo.join(u'\n'), this))
    , m_from(new QLineEdit(settings.emailFrom, this))
    , m_digest(new QSpinBox(this))
{
    m_smtpUrl =
        addSecret(QStringLiteral("emailSmtpUrl"), emailSmtpUrlKey(connection), QStringLiteral("the SMTP server's URL"),
                  QStringLiteral("smtps://user:password@smtp.example.com:465"),
                  QStringLiteral("The SMTP server the alerts are sent through, with its user and password: "
                                 "smtps://user:password@host:465, or smtp://…:587 with STARTTLS. Characters "
                                 "such as @ and / in the user or the password are written %40 and %2F."));
    m_to->setObjectName(QStringLiteral("emailTo"));
    m_to->setPlaceholderText(QStringLiteral("ops@example.com, Buyer <buyer@example.com>"));
    m_to->setToolTip(QStringLiteral("Who gets the alerts of every shop not listed under Per shop: addresses "
                                    "separated by commas"));
    m_shopTo->setObjectName(QStringLiteral("emailShopTo"));
    m_shopTo->setTabChangesFocus(true);
    m_shopTo->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_shopTo->setPlaceholderText(QStringLiteral("northwind-apparel.myshopify.com = buyer@northwind.example, "
                                                "supplier@example.com"));
    m_shopTo->setToolTip(QStringLiteral("A line per shop whose alerts go to addresses of their own (a buyer, a "
                                        "supplier) instead of the recipients above: the shop's domain, \"=\", "
                                        "then addresses separated by commas"));
    // Three lines high.
    m_shopTo->setFixedHeight(m_shopTo->fontMetrics().lineSpacing() * 3 +
                             2 * (m_shopTo->frameWidth() + int(m_shopTo->document()->documentMargin())) + 2);
    m_from->setObjectName(QStringLiteral("emailFrom"));
    m_from->setPlaceholderText(QStringLiteral("the SMTP user"));
    m_from->setToolTip(QStringLiteral("The address the alerts come from; empty: the SMTP user, when it is an "
                                      "address"));
    m_digest->setObjectName(QStringLiteral("emailDigestMinutes"));
    m_digest->setRange(0, 24 * 60);
    m_digest->setValue(settings.emailDigestMinutes);
    m_digest->setSuffix(QStringLiteral(" min"));
    m_digest->setSpecialValueText(QStringLiteral("none: a conversation per product episode"));
    m_digest->setToolTip(QStringLiteral("Gather the alerts into at most one message per interval. Without a digest, "
                                        "each product's alerts come as they fire, its later ones (sold out, "
                                        "restocked) as replies to its first"));
    removeButton()->setObjectName(QStringLiteral("removeEmail"));
    makeTest(QStringLiteral("testEmail"),
             QStringLiteral("Send one message marked as a test to the recipients now (the SMTP URL typed here, else "
                            "the stored one)"));

    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_smtpUrl, 1);
    urlRow->addWidget(removeButton());
    auto *toRow = new QHBoxLayout;
    toRow->addWidget(m_to, 1);
    toRow->addWidget(testButton());
    auto *form = new QFormLayout(this);
    auto *urlLabel = new QLabel(QStringLiteral("SMTP ser&ver:"), this);
    urlLabel->setBuddy(m_smtpUrl);
    form->addRow(urlLabel, urlRow);
    auto *toLabel = new QLabel(QStringLiteral("Recipien&ts:"), this);
    toLabel->setBuddy(m_to);
    form->addRow(toLabel, toRow);
    form->addRow(testOutcome());
    auto *shopLabel = new QLabel(QStringLiteral("Per s&hop:"), this);
    shopLabel->setBuddy(m_shopTo);
    form->addRow(shopLabel, m_shopTo);
    form->addRow(QStringLiteral("Sender:"), m_from);
    form->addRow(QStringLiteral("Digest:"), m_digest);
}

void EmailDeliveryGroup::load(const QSettings &settings, DeliverySettings &out)
{
    out.email = settings.value(kEmail, false).toBool();
    out.emailTo = settings.value(kEmailTo).toStringList();
    out.emailShopTo = settings.value(kEmailShopTo).toStringList();
    out.emailFrom = settings.value(kEmailFrom).toString();
    out.emailDigestMinutes = settings.value(kEmailDigestMinutes, 0).toInt();
}

void EmailDeliveryGroup::save(QSettings &settings) const
{
    settings.setValue(kEmail, configured());
    settings.setValue(kEmailTo, recipients());
    settings.setValue(kEmailShopTo, shopLines());
    settings.setValue(kEmailFrom, m_from->text().trimmed());
    settings.setValue(kEmailDigestMinutes, m_digest->value());
}

QList<QWidget *> EmailDeliveryGroup::tabChain() const
{
    return {m_smtpUrl, removeButton(), m_to, testButton(), m_shopTo, m_from, m_digest};
}

QStringList EmailDeliveryGroup::recipients() const
{
    static const QRegularExpression separator(QStringLiteral("[,;\\n]"));
    QStringList out;
    for (const QString &part : m_to->text().split(separator, Qt::SkipEmptyParts))
        if (const QString address = part.trimmed(); !address.isEmpty())
            out << address;
    return out;
}

QStringList EmailDeliveryGroup::shopLines() const
{
    QStringList out;
    for (const QString &line : m_shopTo->toPlainText().split(u'\n'))
        if (const QString entry = line.trimmed(); !entry.isEmpty())
            out << entry;
    return out;
}

QString EmailDeliveryGroup::shopProblem(std::vector<ShopRecipients> *shops) const
{
    const QStringList lines = m_shopTo->toPlainText().split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed().isEmpty())
            continue;
        auto parsed = parseShopRecipients(lines.at(i));
        if (!parsed)
            return QStringLiteral("line ") % QString::number(i + 1) % QStringLiteral(": ") % parsed.error();
        if (shops)
            shops->push_back(std::move(*parsed));
    }
    return {};
}

EmailOptions EmailDeliveryGroup::options(const QUrl &smtpUrl) const
{
    EmailOptions options;
    options.from = m_from->text().trimmed();
    if (options.from.isEmpty())
        options.from = smtpUrl.userName();
    // Everyone's, for a test: the profile's recipients, then each shop's.
    options.to = recipients();
    std::vector<ShopRecipients> shops;
    shopProblem(&shops);
    for (const ShopRecipients &shop : shops)
        for (const QString &to : shop.to)
            if (!options.to.contains(to))
                options.to << to;
    options.digestIntervalMs = qint64(m_digest->value()) * 60'000;
    return options;
}

QString EmailDeliveryGroup::problem(QWidget *&where) const
{
    if (!configured()) {
        where = m_smtpUrl;
        return removing() || (recipients().isEmpty() && shopLines().isEmpty())
                   ? QString()
                   : QStringLiteral("E-mail: enter the SMTP server's URL, or clear the recipients.");
    }
    if (recipients().isEmpty() && shopLines().isEmpty()) {
        where = m_to;
        return QStringLiteral("E-mail: enter at least one recipient's address.");
    }
    if (const QString wrong = shopProblem(); !wrong.isEmpty()) {
        where = m_shopTo;
        return QStringLiteral("E-mail, per shop, ") % wrong;
    }
    QUrl url;
    if (const QString typedUrl = typed(0); !typedUrl.isEmpty()) {
        url = QUrl(typedUrl, QUrl::StrictMode);
        if (const Status ok = EmailSink::checkSmtpUrl(url); !ok) {
            where = m_smtpUrl;
            return QStringLiteral("E-mail: ") % ok.error();
        }
    }
    EmailOptions checked = options(url);
    if (checked.from.isEmpty() && url.isEmpty())
        checked.from = QStringLiteral("peakwatch@localhost"); // the stored URL's user, not read here
    if (const Status ok = EmailSink::checkOptions(checked); !ok) {
        where = checked.from.contains(u'@') ? static_cast<QWidget *>(m_to) : m_from;
        return QStringLiteral("E-mail: ") % ok.error();
    }
    return {};
}

std::unique_ptr<AlertSink> EmailDeliveryGroup::makeSink(const QStringList &secrets, QString &error) const
{
    const QUrl url(secrets.value(0), QUrl::StrictMode);
    if (const Status ok = EmailSink::checkSmtpUrl(url); !ok) {
        error = ok.error();
        return nullptr;
    }
    const EmailOptions opts = options(url);
    if (opts.to.isEmpty()) {
        error = QStringLiteral("enter at least one recipient's address first.");
        return nullptr;
    }
    if (const Status ok = EmailSink::checkOptions(opts); !ok) {
        error = ok.error();
        return nullptr;
    }
    return std::make_unique<EmailSink>(QStringLiteral("email"), url, opts);
}

QString EmailDeliveryGroup::destination() const
{
    return QStringLiteral("e-mail to ") % options(QUrl()).to.join(QStringLiteral(", "));
}

} // namespace peakwatch::ui
