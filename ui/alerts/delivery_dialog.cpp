// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "delivery_dialog.h"

#include "connection_profile.h"
#include "email_delivery_group.h"
#include "jira_delivery_group.h"
#include "webhook_delivery_group.h"

#include "alert_sink.h"
#include "desktop_notifier.h"
#include "kafka_alert_sink.h"
#include "redaction.h"
#include "secret_store.h"
#include "shopify_admin.h"
#include "slack_bot_sink.h"
#include "slack_sink.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStyle>
#include <QStringBuilder>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace peakwatch::ui {
namespace {

const QString kDesktop = QStringLiteral("desktop");
const QString kAlertsTopic = QStringLiteral("alertsTopic");
const QString kSlackShops = QStringLiteral("slackShops");
const QString kSlackDefault = QStringLiteral("slackDefault");
const QString kSessionOnly = QStringLiteral("sessionOnly");
const QString kSlackBot = QStringLiteral("slackBot");
const QString kSlackChannel = QStringLiteral("slackChannel");

QString group(const QString &connection)
{
    // Settings keys must not contain slashes: they would nest groups (as connection_profile.cpp does).
    return QStringLiteral("delivery/") % QString(connection).replace(u'/', u'_');
}

QString examplePlaceholder()
{
    return QStringLiteral("https://hooks.slack.com/services/T…/B…/…");
}

QString storedPlaceholder(const SecretStore &store, const SecretStore *sessionStore)
{
    if (&store == sessionStore)
        return QStringLiteral("kept for this session only — type to replace");
    return QStringLiteral("stored in ") % store.where() % QStringLiteral(" — type to replace");
}

QString removedPlaceholder()
{
    return QStringLiteral("removed when you press Save");
}

QString shopWhat(const QString &shop)
{
    return QStringLiteral("the webhook of shop ") % shop;
}

} // namespace

DeliverySettings DeliveryDialog::load(const QString &connection)
{
    QSettings settings;
    settings.beginGroup(group(connection));
    DeliverySettings out;
    out.desktop = settings.value(kDesktop, true).toBool();
    out.alertsTopic = settings.value(kAlertsTopic).toString();
    out.slackDefault = settings.value(kSlackDefault, false).toBool();
    out.slackShops = settings.value(kSlackShops).toStringList();
    out.sessionOnly = settings.value(kSessionOnly, false).toBool();
    out.slackBot = settings.value(kSlackBot, false).toBool();
    out.slackChannel = settings.value(kSlackChannel).toString();
    EmailDeliveryGroup::load(settings, out);
    JiraDeliveryGroup::load(settings, out);
    WebhookDeliveryGroup::load(settings, out);
    return out;
}

DeliveryDialog::DeliveryDialog(QString connection, SecretStore &secrets, QWidget *parent)
    : QDialog(parent)
    , m_connection(std::move(connection))
    , m_secrets(secrets)
    , m_active(&secrets)
    , m_source(&secrets)
    , m_desktop(new QCheckBox(QStringLiteral("Show alerts as &desktop notifications"), this))
    , m_defaultUrl(new QLineEdit(this))
    , m_showUrls(new QToolButton(this))
    , m_removeDefaultButton(new QPushButton(QStringLiteral("&Remove"), this))
    , m_botToken(new QLineEdit(this))
    , m_removeBotButton(new QPushButton(QStringLiteral("Remove"), this))
    , m_botChannel(new QLineEdit(this))
    , m_shopHeader(new QWidget(this))
    , m_noShops(new QLabel(QStringLiteral("None: every shop's alerts go to the default webhook."), this))
    , m_shopList(new QVBoxLayout)
    , m_addShop(new QPushButton(QStringLiteral("&Add shop…"), this))
    , m_topic(new QLineEdit(this))
    , m_storeNotice(new QLabel(this))
    , m_useKeychain(new QPushButton(QStringLiteral("&Use the system keychain"), this))
    , m_error(new QLabel(this))
    , m_sessionOffer(new QLabel(this))
    , m_keepForSession(new QPushButton(QStringLiteral("&Keep for this session only"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    const DeliverySettings settings = load(m_connection);
    m_sessionOnly = settings.sessionOnly;
    m_slackApiUrl = SlackBot{}.apiUrl;
    m_testDesktop = makeTest(QStringLiteral("testDesktop"),
                             QStringLiteral("Show one notification marked as a test on this desktop now"));
    m_testDefault = makeTest(QStringLiteral("testDefaultWebhook"),
                             QStringLiteral("Post one message marked as a test through the default webhook now (the "
                                            "URL typed here, else the stored one)"));
    m_testBot = makeTest(QStringLiteral("testBot"),
                         QStringLiteral("Have the bot post one message marked as a test to its channel now"));
    m_testTopic = makeTest(QStringLiteral("testAlertsTopic"),
                           QStringLiteral("Write one alert record marked as a test to the alerts topic now"));
    connect(m_testDesktop.button, &QPushButton::clicked, this, &DeliveryDialog::testDesktop);
    connect(m_testDefault.button, &QPushButton::clicked, this, &DeliveryDialog::testDefaultWebhook);
    connect(m_testBot.button, &QPushButton::clicked, this, &DeliveryDialog::testBot);
    connect(m_testTopic.button, &QPushButton::clicked, this, &DeliveryDialog::testAlertsTopic);
    setWindowTitle(QStringLiteral("Alert delivery — ") % m_connection);

    // Desktop.
    m_desktop->setObjectName(QStringLiteral("desktop"));
    m_desktop->setChecked(settings.desktop);
    m_desktop->setToolTip(QStringLiteral("Show each alert as a notification of this desktop"));

    // Slack: the default webhook, then the shops with one of their own.
    m_defaultUrl->setObjectName(QStringLiteral("defaultWebhook"));
    m_defaultUrl->setEchoMode(QLineEdit::Password);
    m_defaultUrl->setPlaceholderText(examplePlaceholder());
    m_defaultUrl->setToolTip(QStringLiteral("The URL of a Slack incoming webhook (Slack: Apps → Incoming Webhooks). "
                                            "Alerts of shops without a webhook of their own go here. The URL grants "
                                            "posting to the channel: it is kept in the system keychain, never in "
                                            "Peakwatch's settings file, and never shown again."));
    m_showUrls->setObjectName(QStringLiteral("showWebhooks"));
    m_showUrls->setCheckable(true);
    m_showUrls->setText(QStringLiteral("Show"));
    m_showUrls->setToolTip(QStringLiteral("Show or hide the webhook URLs as you type them (stored ones are never "
                                          "shown)"));
    m_removeDefaultButton->setObjectName(QStringLiteral("removeDefaultWebhook"));
    m_removeDefaultButton->setToolTip(QStringLiteral("Forget the default webhook when you press Save"));
    connect(m_showUrls, &QToolButton::toggled, this, &DeliveryDialog::setShowUrls);
    connect(m_defaultUrl, &QLineEdit::textChanged, this, &DeliveryDialog::showStored);
    connect(m_removeDefaultButton, &QPushButton::clicked, this, [this] {
        m_defaultUrl->clear();
        m_removeDefault = m_defaultStored;
        showStored();
    });
    auto *defaultRow = new QHBoxLayout;
    defaultRow->addWidget(m_defaultUrl, 1);
    defaultRow->addWidget(m_showUrls);
    defaultRow->addWidget(m_removeDefaultButton);
    defaultRow->addWidget(m_testDefault.button);

    // Or a bot: its token (a secret, like the webhooks) and the channel it posts to (not a secret).
    m_botToken->setObjectName(QStringLiteral("botToken"));
    m_botToken->setEchoMode(QLineEdit::Password);
    m_botToken->setPlaceholderText(QStringLiteral("xoxb-…"));
    m_botToken->setToolTip(QStringLiteral("The Bot User OAuth Token of a Slack app with the chat:write scope (the "
                                          "app's OAuth & Permissions page). With it, the bot posts instead of the "
                                          "default webhook, and each product's episode becomes one thread. Kept "
                                          "in the system keychain, never in the settings file, never shown again."));
    m_removeBotButton->setObjectName(QStringLiteral("removeBotToken"));
    m_removeBotButton->setToolTip(QStringLiteral("Forget the bot's token when you press Save"));
    m_botChannel->setObjectName(QStringLiteral("botChannel"));
    m_botChannel->setText(settings.slackChannel);
    m_botChannel->setPlaceholderText(QStringLiteral("#alerts or C0123ABCD"));
    m_botChannel->setToolTip(QStringLiteral("The channel the bot posts to; invite the app to it in Slack"));
    connect(m_botToken, &QLineEdit::textChanged, this, &DeliveryDialog::showStored);
    connect(m_removeBotButton, &QPushButton::clicked, this, [this] {
        m_botToken->clear();
        m_removeBot = m_botStored;
        showStored();
    });
    auto *botRow = new QHBoxLayout;
    botRow->addWidget(m_botToken, 1);
    botRow->addWidget(m_removeBotButton);
    botRow->addWidget(m_testBot.button);

    auto *shopLabel = new QLabel(QStringLiteral("Shop domain"), m_shopHeader);
    auto *urlLabel = new QLabel(QStringLiteral("Webhook URL"), m_shopHeader);
    auto *headerLayout = new QHBoxLayout(m_shopHeader);
    headerLayout->setContentsMargins(0, 0, 0, 0);
    headerLayout->addWidget(shopLabel, 2);
    headerLayout->addWidget(urlLabel, 3);
    headerLayout->addSpacing(m_removeDefaultButton->sizeHint().width() + m_testDefault.button->sizeHint().width() +
                             style()->layoutSpacing(QSizePolicy::PushButton, QSizePolicy::PushButton, Qt::Horizontal));
    m_shopList->setContentsMargins(0, 0, 0, 0);
    m_shopList->addWidget(m_shopHeader);
    m_shopList->addWidget(m_noShops);
    m_addShop->setObjectName(QStringLiteral("addShop"));
    m_addShop->setToolTip(QStringLiteral("Give one shop's alerts a Slack webhook of their own"));
    connect(m_addShop, &QPushButton::clicked, this, [this] {
        addShopRow(QString());
        m_rows.back().shop->setFocus();
    });
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_addShop);
    addRow->addStretch(1);

    auto *slackIntro = new QLabel(QStringLiteral("Alerts go to the default webhook unless their shop has a webhook of "
                                                 "its own. Webhook URLs are kept in the system keychain (or, if you "
                                                 "choose, for this session only), never in the settings file."),
                                  this);
    slackIntro->setWordWrap(true);
    auto *slackForm = new QFormLayout;
    slackForm->addRow(slackIntro);
    auto *defaultLabel = new QLabel(QStringLiteral("Default &webhook:"), this);
    defaultLabel->setBuddy(m_defaultUrl); // addRow() with a layout sets no buddy
    slackForm->addRow(defaultLabel, defaultRow);
    slackForm->addRow(m_testDefault.outcome);
    auto *botIntro = new QLabel(QStringLiteral("Or a Slack app's bot: an incoming webhook cannot reply in threads, a "
                                               "bot can. With a bot token and a channel, the bot takes the alerts of "
                                               "the default webhook, and each product's episode (selling out, low "
                                               "stock, sold out, restocked) reads as one thread."),
                                this);
    botIntro->setWordWrap(true);
    slackForm->addRow(botIntro);
    auto *botLabel = new QLabel(QStringLiteral("B&ot token:"), this);
    botLabel->setBuddy(m_botToken);
    slackForm->addRow(botLabel, botRow);
    auto *channelLabel = new QLabel(QStringLiteral("C&hannel:"), this);
    channelLabel->setBuddy(m_botChannel);
    slackForm->addRow(channelLabel, m_botChannel);
    slackForm->addRow(m_testBot.outcome);
    slackForm->addRow(new QLabel(QStringLiteral("Shops with a webhook of their own:"), this));
    slackForm->addRow(m_shopList);
    slackForm->addRow(addRow);
    auto *slack = new QGroupBox(QStringLiteral("Slack"), this);
    slack->setLayout(slackForm);

    // Kafka.
    m_topic->setObjectName(QStringLiteral("alertsTopic"));
    m_topic->setText(settings.alertsTopic);
    m_topic->setPlaceholderText(QStringLiteral("none"));
    m_topic->setToolTip(QStringLiteral("A topic of this connection's cluster; empty for none"));
    auto *topicNote = new QLabel(QStringLiteral("Each alert is also written to this topic as a JSON record keyed by "
                                                "shop and product, for other tools to act on (reorders, tickets)."),
                                 this);
    topicNote->setWordWrap(true);
    auto *kafkaForm = new QFormLayout;
    auto *topicRow = new QHBoxLayout;
    topicRow->addWidget(m_topic, 1);
    topicRow->addWidget(m_testTopic.button);
    auto *topicLabel = new QLabel(QStringLiteral("Alerts &topic:"), this);
    topicLabel->setBuddy(m_topic); // addRow() with a layout sets no buddy
    kafkaForm->addRow(topicLabel, topicRow);
    kafkaForm->addRow(m_testTopic.outcome);
    kafkaForm->addRow(topicNote);
    auto *kafka = new QGroupBox(QStringLiteral("Kafka"), this);
    kafka->setLayout(kafkaForm);

    // E-mail, Jira and a signed webhook: each its own group, with its secrets in the store like the webhooks'.
    m_groups = {new EmailDeliveryGroup(m_connection, settings, *this),
                new JiraDeliveryGroup(m_connection, settings, *this),
                new WebhookDeliveryGroup(m_connection, settings, *this)};

    // Where the webhooks are kept, errors, and the session-only choice.
    m_storeNotice->setObjectName(QStringLiteral("storeNotice"));
    m_storeNotice->setWordWrap(true);
    m_useKeychain->setObjectName(QStringLiteral("useKeychain"));
    m_useKeychain->setToolTip(QStringLiteral(
        "Move the secrets (webhooks, tokens, passwords, keys) to the system keychain when you press Save"));
    connect(m_useKeychain, &QPushButton::clicked, this, &DeliveryDialog::useKeychain);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #cf222e"));
    m_sessionOffer->setObjectName(QStringLiteral("sessionOffer"));
    m_sessionOffer->setWordWrap(true);
    m_sessionOffer->setText(QStringLiteral("You can keep the secrets for this session only: Peakwatch forgets them "
                                           "when it closes, and you enter them again next time."));
    m_keepForSession->setObjectName(QStringLiteral("keepForSession"));
    m_keepForSession->setToolTip(QStringLiteral("Keep the secrets in memory until Peakwatch closes, and save"));
    connect(m_keepForSession, &QPushButton::clicked, this, &DeliveryDialog::keepForSession);
    auto *noticeRow = new QHBoxLayout;
    noticeRow->addWidget(m_storeNotice, 1);
    noticeRow->addWidget(m_useKeychain);
    auto *offerRow = new QHBoxLayout;
    offerRow->addWidget(m_sessionOffer, 1);
    offerRow->addWidget(m_keepForSession);
    m_sessionOffer->hide();
    m_keepForSession->hide();

    connect(m_buttons, &QDialogButtonBox::accepted, this, &DeliveryDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DeliveryDialog::reject);
    // The destinations scroll: each explanation keeps the lines it needs on a small screen, and Save stays in sight.
    auto *destinations = new QWidget(this);
    auto *layout = new QVBoxLayout(destinations);
    auto *desktopRow = new QHBoxLayout;
    desktopRow->addWidget(m_desktop, 1);
    desktopRow->addWidget(m_testDesktop.button);
    layout->addLayout(desktopRow);
    layout->addWidget(m_testDesktop.outcome);
    layout->addWidget(slack);
    layout->addWidget(kafka);
    for (DeliveryGroup *g : std::as_const(m_groups))
        layout->addWidget(g);
    layout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("deliveryDestinations"));
    scroll->setWidget(destinations);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(scroll, 1);
    outer->addLayout(noticeRow);
    outer->addWidget(m_error);
    outer->addLayout(offerRow);
    outer->addWidget(m_buttons);

    for (const QString &shop : settings.slackShops)
        addShopRow(shop);
    updateTabOrder();
    updateStoreNotice();
    showStored();
    updateTopicTest();
    // Once the caller has had its say in setSessionStore(): a connection kept for this session only does not
    // ask the keychain.
    QTimer::singleShot(0, this, [this] {
        if (m_checkGeneration == 0)
            checkStored();
    });
    // As tall as the destinations need, within the screen.
    const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    const int available = screen ? screen->availableGeometry().height() - 80 : 800;
    resize(760, std::min(available, destinations->sizeHint().height() + m_buttons->sizeHint().height() + 60));
}

DeliveryDialog::~DeliveryDialog() = default;

void DeliveryDialog::setSessionStore(SecretStore *store)
{
    m_sessionStore = store;
    if (m_sessionOnly && store && m_active != store) {
        // The webhooks were kept for this session only: show what this session holds.
        m_active = store;
        checkStored();
    } else if (!store && m_active != &m_secrets) {
        m_active = &m_secrets;
        checkStored();
    }
    updateStoreNotice();
}

bool DeliveryDialog::usesSessionStore() const
{
    return m_sessionStore && m_active == m_sessionStore;
}

// Which webhooks m_active holds. Only whether each one is there is kept: a stored URL is never shown.
void DeliveryDialog::checkStored()
{
    m_source = m_active;
    const int generation = ++m_checkGeneration;
    m_defaultStored = false;
    for (ShopRow &row : m_rows)
        row.stored = false;
    showStored();
    auto failed = [this](const QString &error) {
        if (m_saving || !m_error->text().isEmpty()) // a save's own error says more
            return;
        showError(QStringLiteral("Could not check ") % m_source->where() % QStringLiteral(" for stored secrets: ") %
                  redacted(error));
    };
    const QPointer<DeliveryDialog> self(this);
    m_botStored = false;
    for (DeliveryGroup *g : std::as_const(m_groups)) {
        g->clearStored();
        const QPointer<DeliveryGroup> group(g);
        for (const QString &key : g->secretKeys())
            m_source->read(key, [self, group, generation, failed, key](Result<std::optional<QString>> found) {
                if (!self || !group || self->m_checkGeneration != generation)
                    return;
                if (!found) {
                    failed(found.error());
                    return;
                }
                group->setStored(key, found->has_value());
            });
    }
    m_source->read(slackBotTokenKey(m_connection), [self, generation, failed](Result<std::optional<QString>> found) {
        if (!self || self->m_checkGeneration != generation)
            return;
        if (!found) {
            failed(found.error());
            return;
        }
        self->m_botStored = found->has_value();
        self->showStored();
    });
    m_source->read(slackWebhookKey(m_connection), [self, generation, failed](Result<std::optional<QString>> found) {
        if (!self || self->m_checkGeneration != generation)
            return;
        if (!found) {
            failed(found.error());
            return;
        }
        self->m_defaultStored = found->has_value();
        self->showStored();
    });
    for (const ShopRow &row : m_rows) {
        if (row.storedShop.isEmpty())
            continue;
        const QString shop = row.storedShop;
        m_source->read(slackWebhookKey(m_connection, shop.toUtf8()),
                       [self, generation, failed, shop](Result<std::optional<QString>> found) {
                           if (!self || self->m_checkGeneration != generation)
                               return;
                           if (!found) {
                               failed(found.error());
                               return;
                           }
                           for (ShopRow &r : self->m_rows)
                               if (r.storedShop == shop)
                                   r.stored = found->has_value();
                           self->showStored();
                       });
    }
}

void DeliveryDialog::showStored()
{
    if (m_removeDefault && m_defaultStored)
        m_defaultUrl->setPlaceholderText(removedPlaceholder());
    else if (m_defaultStored)
        m_defaultUrl->setPlaceholderText(storedPlaceholder(*m_source, m_sessionStore));
    else
        m_defaultUrl->setPlaceholderText(examplePlaceholder());
    m_removeDefaultButton->setEnabled((m_defaultStored && !m_removeDefault) || !m_defaultUrl->text().isEmpty());
    if (m_removeBot && m_botStored)
        m_botToken->setPlaceholderText(removedPlaceholder());
    else if (m_botStored)
        m_botToken->setPlaceholderText(storedPlaceholder(*m_source, m_sessionStore));
    else
        m_botToken->setPlaceholderText(QStringLiteral("xoxb-…"));
    m_removeBotButton->setEnabled((m_botStored && !m_removeBot) || !m_botToken->text().isEmpty());
    for (const ShopRow &row : m_rows) {
        if (row.stored)
            row.url->setPlaceholderText(storedPlaceholder(*m_source, m_sessionStore));
        else if (!row.storedShop.isEmpty())
            row.url->setPlaceholderText(QStringLiteral("none stored — enter the shop's webhook URL"));
        else
            row.url->setPlaceholderText(examplePlaceholder());
    }
    for (DeliveryGroup *g : std::as_const(m_groups))
        g->showStored(); // the placeholders name the store
    const bool any = !m_rows.empty();
    m_shopHeader->setVisible(any);
    m_noShops->setVisible(!any);
}

void DeliveryDialog::addShopRow(const QString &storedShop)
{
    ShopRow row;
    row.storedShop = storedShop;
    row.row = new QWidget(this);
    row.row->setObjectName(QStringLiteral("shopRow"));
    row.shop = new QLineEdit(storedShop, row.row);
    row.shop->setObjectName(QStringLiteral("shopDomain"));
    row.shop->setPlaceholderText(QStringLiteral("my-shop.myshopify.com"));
    if (storedShop.isEmpty()) {
        row.shop->setToolTip(QStringLiteral("The shop's myshopify.com domain, as in its products/update webhooks"));
    } else {
        row.shop->setReadOnly(true);
        row.shop->setToolTip(QStringLiteral("To rename a shop, remove it and add it again"));
    }
    row.url = new QLineEdit(row.row);
    row.url->setObjectName(QStringLiteral("shopWebhook"));
    row.url->setEchoMode(m_showUrls->isChecked() ? QLineEdit::Normal : QLineEdit::Password);
    row.url->setToolTip(QStringLiteral("The Slack incoming webhook this shop's alerts go to instead of the "
                                       "default one"));
    row.remove = new QPushButton(QStringLiteral("Remove"), row.row);
    row.remove->setObjectName(QStringLiteral("removeShop"));
    row.remove->setToolTip(QStringLiteral("Send this shop's alerts to the default webhook again, and forget its "
                                          "own webhook when you press Save"));
    row.test = makeTest(QStringLiteral("testShopWebhook"),
                        QStringLiteral("Post one message marked as a test through this shop's webhook now (the URL "
                                       "typed here, else the stored one)"));
    QWidget *const widget = row.row;
    connect(row.remove, &QPushButton::clicked, this, [this, widget] { removeShopRow(widget); });
    connect(row.test.button, &QPushButton::clicked, this, [this, widget] { testShopWebhook(widget); });
    auto *fields = new QHBoxLayout;
    fields->addWidget(row.shop, 2);
    fields->addWidget(row.url, 3);
    fields->addWidget(row.remove);
    fields->addWidget(row.test.button);
    auto *layout = new QVBoxLayout(row.row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(fields);
    layout->addWidget(row.test.outcome);
    m_shopList->addWidget(row.row);
    m_rows.push_back(row);
    updateTabOrder();
    showStored();
}

void DeliveryDialog::removeShopRow(QWidget *widget)
{
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [widget](const ShopRow &r) { return r.row == widget; });
    if (it == m_rows.end())
        return;
    if (!it->storedShop.isEmpty())
        m_removedShops.append(it->storedShop);
    const qsizetype index = it - m_rows.begin();
    m_rows.erase(it);
    widget->deleteLater();
    widget->hide();
    // Focus goes on to the next row's Remove button, or to "Add shop".
    if (index < qsizetype(m_rows.size()))
        m_rows[std::size_t(index)].remove->setFocus();
    else
        m_addShop->setFocus();
    updateTabOrder();
    showStored();
}

// Widgets added later would otherwise come last in the tab chain.
void DeliveryDialog::updateTabOrder()
{
    QList<QWidget *> chain{
        m_desktop,  m_testDesktop.button, m_defaultUrl, m_showUrls,      m_removeDefaultButton, m_testDefault.button,
        m_botToken, m_removeBotButton,    m_botChannel, m_testBot.button};
    for (const ShopRow &row : m_rows)
        chain << row.shop << row.url << row.remove << row.test.button;
    chain << m_addShop << m_topic << m_testTopic.button;
    for (const DeliveryGroup *g : std::as_const(m_groups))
        chain << g->tabChain();
    chain << m_useKeychain << m_keepForSession << m_buttons;
    for (qsizetype i = 1; i < chain.size(); ++i)
        setTabOrder(chain[i - 1], chain[i]);
}

void DeliveryDialog::setShowUrls(bool show)
{
    const auto mode = show ? QLineEdit::Normal : QLineEdit::Password;
    m_showUrls->setText(show ? QStringLiteral("Hide") : QStringLiteral("Show"));
    m_defaultUrl->setEchoMode(mode);
    m_botToken->setEchoMode(mode);
    for (const ShopRow &row : m_rows)
        row.url->setEchoMode(mode);
    for (DeliveryGroup *g : std::as_const(m_groups))
        g->setShowSecrets(show);
}

void DeliveryDialog::updateStoreNotice()
{
    const bool session = usesSessionStore();
    if (session) {
        m_storeNotice->setText(QStringLiteral("Webhooks are kept for this session only: Peakwatch forgets them when "
                                              "it closes, and you enter them again next time."));
    } else if (m_source != m_active) {
        m_storeNotice->setText(QStringLiteral("Webhooks are moved to ") % m_active->where() %
                               QStringLiteral(" when you press Save."));
    } else {
        m_storeNotice->clear();
    }
    m_storeNotice->setVisible(!m_storeNotice->text().isEmpty());
    m_useKeychain->setVisible(session);
    if (session) {
        m_sessionOffer->hide();
        m_keepForSession->hide();
    }
}

void DeliveryDialog::setBusy(bool busy)
{
    m_saving = busy;
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!busy);
    m_keepForSession->setEnabled(!busy);
    m_useKeychain->setEnabled(!busy);
}

void DeliveryDialog::showError(const QString &error)
{
    // Every error passes through redacted(): one from the keychain may quote what it was given.
    m_error->setText(redacted(error));
}

// What saving does to the store, in order; false (and the error shown) when the form is not valid.
bool DeliveryDialog::buildPlan(std::vector<Op> &plan, QStringList &shops)
{
    auto invalid = [this](const QString &error, QWidget *where) {
        showError(error);
        where->setFocus();
        return false;
    };
    const bool moving = m_source != m_active;

    const QString defaultUrl = m_defaultUrl->text().trimmed();
    const QString defaultKey = slackWebhookKey(m_connection);
    m_planDefault = !defaultUrl.isEmpty() || (m_defaultStored && !m_removeDefault);
    if (!defaultUrl.isEmpty()) {
        if (const Status ok = SlackSink::checkWebhookUrl(QUrl(defaultUrl, QUrl::StrictMode)); !ok)
            return invalid(QStringLiteral("Default webhook: ") % ok.error(), m_defaultUrl);
        plan.push_back({Op::Write, defaultKey, defaultUrl, QStringLiteral("the default webhook")});
    } else if (m_removeDefault && m_defaultStored) {
        plan.push_back({Op::Remove, defaultKey, QString(), QStringLiteral("the default webhook")});
    } else if (m_defaultStored && moving) {
        plan.push_back({Op::Copy, defaultKey, QString(), QStringLiteral("the default webhook")});
    }

    const QString token = m_botToken->text().trimmed();
    const QString channel = m_botChannel->text().trimmed();
    const QString botKey = slackBotTokenKey(m_connection);
    m_planBot = !token.isEmpty() || (m_botStored && !m_removeBot);
    if (m_planBot && channel.isEmpty())
        return invalid(QStringLiteral("Enter the channel the bot posts to, such as #alerts."), m_botChannel);
    if (!token.isEmpty()) {
        if (const Status ok = SlackBotSink::check(SlackBot{channel, token}); !ok)
            return invalid(QStringLiteral("Bot: ") % ok.error(), m_botToken);
        plan.push_back({Op::Write, botKey, token, QStringLiteral("the bot's token")});
    } else if (m_removeBot && m_botStored) {
        plan.push_back({Op::Remove, botKey, QString(), QStringLiteral("the bot's token")});
    } else if (m_botStored && moving) {
        plan.push_back({Op::Copy, botKey, QString(), QStringLiteral("the bot's token")});
    }

    for (const ShopRow &row : m_rows) {
        const QString shop = row.shop->text().trimmed().toLower();
        const QString url = row.url->text().trimmed();
        if (shop.isEmpty() && url.isEmpty() && row.storedShop.isEmpty())
            continue; // a row added and left blank
        if (!isShopDomain(shop))
            return invalid(QStringLiteral("Enter the shop's domain, such as my-shop.myshopify.com, or remove the row."),
                           row.shop);
        if (shops.contains(shop))
            return invalid(QStringLiteral("Shop ") % shop % QStringLiteral(" is listed twice."), row.shop);
        const QString key = slackWebhookKey(m_connection, shop.toUtf8());
        if (!url.isEmpty()) {
            if (const Status ok = SlackSink::checkWebhookUrl(QUrl(url, QUrl::StrictMode)); !ok)
                return invalid(QStringLiteral("Webhook of shop ") % shop % QStringLiteral(": ") % ok.error(), row.url);
            plan.push_back({Op::Write, key, url, shopWhat(shop)});
        } else if (row.storedShop.isEmpty()) {
            return invalid(QStringLiteral("Enter the Slack webhook URL of shop ") % shop % u'.', row.url);
        } else if (row.stored && moving) {
            plan.push_back({Op::Copy, key, QString(), shopWhat(shop)});
        }
        shops.append(shop);
    }
    for (const QString &shop : std::as_const(m_removedShops))
        if (!shops.contains(shop))
            plan.push_back({Op::Remove, slackWebhookKey(m_connection, shop.toUtf8()), QString(), shopWhat(shop)});

    const QString topic = m_topic->text().trimmed();
    if (!topic.isEmpty() && !isKafkaTopicName(topic))
        return invalid(QStringLiteral("The alerts topic may contain only letters, digits, '.', '_' and '-'."), m_topic);
    for (DeliveryGroup *g : std::as_const(m_groups))
        if (!g->addToPlan(plan, moving))
            return false;
    return true;
}

void DeliveryDialog::accept()
{
    if (m_saving)
        return;
    m_error->clear();
    std::vector<Op> plan;
    QStringList shops;
    if (!buildPlan(plan, shops))
        return;
    m_plan = std::move(plan);
    m_planShops = std::move(shops);
    ++m_saveGeneration;
    setBusy(true);
    run(0);
}

void DeliveryDialog::reject()
{
    // A write the store has started may still complete; its answer is ignored and nothing is saved to settings.
    ++m_saveGeneration;
    m_saving = false;
    QDialog::reject();
}

// Runs m_plan from `index` on m_active, one answer at a time.
void DeliveryDialog::run(std::size_t index)
{
    if (index >= m_plan.size()) {
        finish();
        return;
    }
    const Op &op = m_plan[index];
    const QPointer<DeliveryDialog> self(this);
    const int generation = m_saveGeneration;
    const QString what = op.what;
    auto next = [self, generation, index, what](Status status) {
        if (!self || self->m_saveGeneration != generation)
            return;
        if (!status) {
            self->fail(what, status.error());
            return;
        }
        self->run(index + 1);
    };
    switch (op.kind) {
    case Op::Write: m_active->write(op.key, op.secret, next); break;
    case Op::Remove: m_active->remove(op.key, next); break;
    case Op::Copy:
        m_source->read(op.key,
                       [self, generation, index, what, key = op.key, next](Result<std::optional<QString>> found) {
                           if (!self || self->m_saveGeneration != generation)
                               return;
                           if (!found) {
                               self->fail(what, QStringLiteral("could not read it from ") % self->m_source->where() %
                                                    QStringLiteral(" (enter it again): ") % found.error());
                               return;
                           }
                           if (!found->has_value()) { // gone meanwhile: nothing to move
                               self->run(index + 1);
                               return;
                           }
                           self->m_active->write(key, **found, next);
                       });
        break;
    }
}

void DeliveryDialog::fail(const QString &what, const QString &error)
{
    setBusy(false);
    showError(QStringLiteral("Could not save ") % what % QStringLiteral(" in ") % m_active->where() %
              QStringLiteral(": ") % error);
    const bool offer = m_sessionStore && m_active != m_sessionStore;
    m_sessionOffer->setVisible(offer);
    m_keepForSession->setVisible(offer);
    if (offer)
        m_keepForSession->setFocus();
}

void DeliveryDialog::finish()
{
    const bool sessionOnly = usesSessionStore();
    QSettings settings;
    settings.beginGroup(group(m_connection));
    settings.setValue(kDesktop, m_desktop->isChecked());
    settings.setValue(kAlertsTopic, m_topic->text().trimmed());
    settings.setValue(kSlackShops, m_planShops);
    settings.setValue(kSlackDefault, m_planDefault);
    settings.setValue(kSlackBot, m_planBot);
    settings.setValue(kSlackChannel, m_botChannel->text().trimmed());
    for (const DeliveryGroup *g : std::as_const(m_groups))
        g->save(settings);
    if (sessionOnly)
        settings.setValue(kSessionOnly, true);
    else
        settings.remove(kSessionOnly);
    settings.endGroup();
    settings.sync();
    if (settings.status() != QSettings::NoError) {
        setBusy(false);
        showError(QStringLiteral("The secrets are saved, but the settings file could not be written: ") %
                  settings.fileName());
        return;
    }
    if (m_source != m_active) {
        // Moved: what the other store still holds of this connection is stale. Best effort; it may be the keychain
        // that just failed.
        QStringList keys{slackWebhookKey(m_connection), slackBotTokenKey(m_connection)};
        for (const QString &shop : std::as_const(m_planShops) + m_removedShops)
            keys.append(slackWebhookKey(m_connection, shop.toUtf8()));
        for (const DeliveryGroup *g : std::as_const(m_groups))
            keys << g->secretKeys();
        for (const QString &key : std::as_const(keys))
            m_source->remove(key, [](Status) {});
        m_source = m_active;
    }
    m_sessionOnly = sessionOnly;
    m_removeDefault = false;
    m_removeBot = false;
    m_removedShops.clear();
    for (DeliveryGroup *g : std::as_const(m_groups))
        g->saved();
    setBusy(false);
    QDialog::accept();
}

void DeliveryDialog::keepForSession()
{
    if (!m_sessionStore || m_saving)
        return;
    m_active = m_sessionStore;
    updateStoreNotice();
    accept(); // and try again there
}

void DeliveryDialog::useKeychain()
{
    if (m_saving)
        return;
    m_active = &m_secrets;
    updateStoreNotice();
    m_buttons->button(QDialogButtonBox::Save)->setFocus();
}

QString DeliveryDialog::storedPlaceholderText() const
{
    return storedPlaceholder(*m_source, m_sessionStore);
}

QString DeliveryDialog::removedPlaceholderText()
{
    return removedPlaceholder();
}

QString DeliveryDialog::testAlertTitle()
{
    return QStringLiteral("Test alert from Peakwatch");
}

void DeliveryDialog::setKafkaConnection(const QString &bootstrapServers, const KafkaProperties &properties)
{
    m_bootstrapServers = bootstrapServers;
    m_kafkaProperties = properties;
    updateTopicTest();
}

void DeliveryDialog::updateTopicTest()
{
    const bool connected = !m_bootstrapServers.isEmpty();
    m_testTopic.button->setEnabled(connected);
    m_testTopic.button->setToolTip(
        connected
            ? QStringLiteral("Write one alert record marked as a test to the alerts topic on ") % m_bootstrapServers %
                  QStringLiteral(" now. It is not a real alert: it names no product and "
                                 "stays out of the alert history.")
            : QStringLiteral("Connect to this connection's cluster to send a test alert to its alerts topic"));
}

DeliveryDialog::TestControls DeliveryDialog::makeTest(const QString &objectName, const QString &toolTip)
{
    TestControls test;
    test.button = new QPushButton(QStringLiteral("Send a test alert"), this);
    test.button->setObjectName(objectName);
    test.button->setToolTip(toolTip % QStringLiteral(". It is not a real alert: it names no product and stays out of "
                                                     "the alert history."));
    test.outcome = new QLabel(this);
    test.outcome->setObjectName(objectName % QStringLiteral("Outcome"));
    test.outcome->setWordWrap(true);
    test.outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    test.outcome->hide();
    return test;
}

void DeliveryDialog::showTestOutcome(const TestControls &test, bool sent, const QString &text)
{
    test.button->setEnabled(true);
    // An error from a sink or the store passes through redacted(): it never shows a webhook URL or a token.
    test.outcome->setText(sent ? text : QStringLiteral("Not sent: ") % redacted(text));
    test.outcome->setStyleSheet(sent ? QString() : QStringLiteral("color: #cf222e"));
    test.outcome->setVisible(!text.isEmpty());
}

void DeliveryDialog::sendTest(const TestControls &test, const QString &destination, std::unique_ptr<AlertSink> sink,
                              const QString &error)
{
    if (!sink) {
        showTestOutcome(test, false, error);
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Alert alert;
    alert.id = QByteArrayLiteral("peakwatch-test-") + QByteArray::number(now);
    alert.rule = AlertRule::LowStock;
    alert.shop = QByteArrayLiteral("peakwatch-test.invalid"); // no shop's domain can be this (RFC 2606)
    alert.title = testAlertTitle().toUtf8();
    alert.atMs = now;
    alert.episode = alert.id;
    alert.message = testAlertTitle() % QStringLiteral(": a test of the delivery to ") % destination %
                    QStringLiteral(", not a real product.");
    test.button->setEnabled(false);
    test.outcome->setStyleSheet(QString());
    test.outcome->setText(QStringLiteral("Sending…"));
    test.outcome->show();
    AlertSink *raw = sink.release();
    raw->setParent(this);
    // The button's row may go before the answer comes (a shop row removed): then the answer is not shown.
    connect(raw, &AlertSink::finished, test.button, [test, raw](const SendOutcome &outcome) {
        raw->deleteLater();
        if (outcome.kind == SendOutcome::Kind::Delivered)
            showTestOutcome(test, true,
                            QStringLiteral("Sent at ") %
                                QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss t")) %
                                QStringLiteral(": look for \"") % testAlertTitle() % QStringLiteral("\"."));
        else
            showTestOutcome(test, false, outcome.error);
    });
    raw->send({alert});
}

void DeliveryDialog::testWithSecret(const TestControls &test, QLineEdit *field, bool stored, const QString &key,
                                    const QString &missing, const QString &destination, const SinkMaker &make)
{
    const auto go = [this, test, destination, make](const QString &secret) {
        QString error;
        std::unique_ptr<AlertSink> sink = make(secret, error);
        sendTest(test, destination, std::move(sink), error);
    };
    const QString typed = field->text().trimmed();
    if (!typed.isEmpty()) {
        go(typed);
        return;
    }
    if (!stored) {
        showTestOutcome(test, false, missing);
        return;
    }
    test.button->setEnabled(false);
    const QPointer<QPushButton> button(test.button); // in the dialog, which it outlives not
    m_source->read(key, [button, test, go, missing](Result<std::optional<QString>> found) {
        if (!button)
            return;
        if (!found)
            showTestOutcome(test, false, found.error());
        else if (!found->has_value())
            showTestOutcome(test, false, missing);
        else
            go(**found);
    });
}

void DeliveryDialog::testDesktop()
{
    sendTest(m_testDesktop, QStringLiteral("this desktop"), std::make_unique<DesktopNotifier>(), QString());
}

void DeliveryDialog::testDefaultWebhook()
{
    testWithSecret(m_testDefault, m_defaultUrl, m_defaultStored && !m_removeDefault, slackWebhookKey(m_connection),
                   QStringLiteral("enter the default webhook's URL first."),
                   QStringLiteral("the default Slack webhook"),
                   [](const QString &url, QString &error) -> std::unique_ptr<AlertSink> {
                       const QUrl webhook(url, QUrl::StrictMode);
                       if (const Status ok = SlackSink::checkWebhookUrl(webhook); !ok) {
                           error = ok.error();
                           return nullptr;
                       }
                       return std::make_unique<SlackSink>(QStringLiteral("slack"), webhook);
                   });
}

void DeliveryDialog::testBot()
{
    const QString channel = m_botChannel->text().trimmed();
    if (channel.isEmpty()) {
        showTestOutcome(m_testBot, false, QStringLiteral("enter the channel the bot posts to first."));
        return;
    }
    testWithSecret(m_testBot, m_botToken, m_botStored && !m_removeBot, slackBotTokenKey(m_connection),
                   QStringLiteral("enter the bot's token first."), QStringLiteral("the Slack bot in ") % channel,
                   [channel, api = m_slackApiUrl](const QString &token, QString &error) -> std::unique_ptr<AlertSink> {
                       const SlackBot bot{channel, token, api};
                       if (const Status ok = SlackBotSink::check(bot); !ok) {
                           error = ok.error();
                           return nullptr;
                       }
                       return std::make_unique<SlackBotSink>(QStringLiteral("slack"), bot);
                   });
}

void DeliveryDialog::testShopWebhook(QWidget *row)
{
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [row](const ShopRow &r) { return r.row == row; });
    if (it == m_rows.end())
        return;
    const QString shop = it->shop->text().trimmed().toLower();
    if (!isShopDomain(shop)) {
        showTestOutcome(it->test, false, QStringLiteral("enter the shop's domain first."));
        return;
    }
    // A stored webhook belongs to the shop as stored.
    const bool stored = it->stored && shop == it->storedShop;
    testWithSecret(it->test, it->url, stored, slackWebhookKey(m_connection, shop.toUtf8()),
                   QStringLiteral("enter the shop's webhook URL first."),
                   QStringLiteral("the Slack webhook of ") % shop,
                   [shop](const QString &url, QString &error) -> std::unique_ptr<AlertSink> {
                       const QUrl webhook(url, QUrl::StrictMode);
                       if (const Status ok = SlackSink::checkWebhookUrl(webhook); !ok) {
                           error = ok.error();
                           return nullptr;
                       }
                       return std::make_unique<SlackSink>(QStringLiteral("slack:") % shop, webhook);
                   });
}

void DeliveryDialog::testAlertsTopic()
{
    const QString topic = m_topic->text().trimmed();
    if (topic.isEmpty() || !isKafkaTopicName(topic)) {
        showTestOutcome(m_testTopic, false,
                        topic.isEmpty() ? QStringLiteral("enter the alerts topic first.")
                                        : QStringLiteral("the alerts topic may contain only letters, digits, '.', "
                                                         "'_' and '-'."));
        return;
    }
    if (m_bootstrapServers.isEmpty())
        return; // the button is disabled
    // The topic is not checked first: that waits for the cluster, and this is the UI thread. A missing topic shows
    // as the send's error.
    auto created = KafkaAlertSink::create(m_bootstrapServers, topic, m_kafkaProperties, false);
    if (!created) {
        sendTest(m_testTopic, topic, nullptr, created.error());
        return;
    }
    sendTest(m_testTopic, QStringLiteral("topic ") % topic, std::move(*created), QString());
}

} // namespace peakwatch::ui
