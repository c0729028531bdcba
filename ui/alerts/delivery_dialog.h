// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "secret_store.h"

#include <QDialog>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace peakwatch {
class AlertSink;
}

namespace peakwatch::ui {
class DeliveryGroup;

// Where one connection's alerts go, as saved by DeliveryDialog. Read it with DeliveryDialog::load().
// The Slack webhook URLs are secrets and are not here: they are in the SecretStore, at slackWebhookKey(connection)
// for the default webhook and slackWebhookKey(connection, shop) for each of slackShops.
struct DeliverySettings {
    bool desktop = true;       // desktop notifications
    QString alertsTopic;       // Kafka topic for alert records; empty: none
    bool slackDefault = false; // a default Slack webhook is stored (the URL itself only in the secret store)
    // A Slack bot token is stored (at slackBotTokenKey(connection), only in the secret store) and the channel it
    // posts to: then the bot, not the default webhook, takes the alerts of shops without a webhook of their own,
    // each product's episode as one thread.
    bool slackBot = false;
    QString slackChannel;
    QStringList slackShops;   // shops with a Slack webhook of their own
    bool sessionOnly = false; // the webhooks are in the session-only store, not the system keychain

    // E-mail: an SMTP URL is stored (at emailSmtpUrlKey(connection), with its password, only in the secret store);
    // a shop named in emailShopTo ("shop=address, address", as parseShopRecipients() reads them) gets its alerts
    // at its own addresses, every other shop's go to emailTo; from emailFrom (empty: the SMTP user), gathered into
    // one message per emailDigestMinutes (0: each product episode a conversation of its own).
    bool email = false;
    QStringList emailTo;
    QStringList emailShopTo;
    QString emailFrom;
    int emailDigestMinutes = 0;
    // Jira: a site URL with its API token is stored (at jiraSiteKey(connection)); issues go to jiraProject.
    bool jira = false;
    QString jiraProject;
    QString jiraIssueType = QStringLiteral("Task");
    QStringList jiraLabels;
    bool jiraResolveOnRestock = true;
    QString jiraResolveTransition = QStringLiteral("Done");
    // A signed webhook: its URL and its signing key are stored (webhookUrlKey(), webhookSigningKeyKey()).
    bool webhook = false;
};

// Edits where the alerts of one connection (the embedded demo cluster or a saved connection) go: desktop
// notifications, a default Slack webhook or a Slack bot (token and channel), per-shop Slack webhooks and a Kafka
// topic for alert records, e-mail through an SMTP server, Jira issues and a signed webhook. The bot token, the SMTP
// URL, the Jira site and the webhook with its signing key are secrets like the Slack webhook URLs.
// Settings are kept in QSettings under "delivery/<connection>"; the webhook URLs only in the SecretStore, never
// in QSettings, never shown back. Saving is asynchronous: the dialog accepts once every secret is written. When
// the store fails (no keychain service), the dialog says so and offers to keep the webhooks for this session
// only, in the store given to setSessionStore().
// Each destination has "Send a test alert": one alert titled "Test alert from Peakwatch", for no real shop or
// product, sent at once through that destination's own sink with what the form holds (typed, else stored), the
// outcome or Slack's error shown next to it. It never passes through the dispatcher, the outbox or the history.
class DeliveryDialog final : public QDialog {
    Q_OBJECT
public:
    DeliveryDialog(QString connection, SecretStore &secrets, QWidget *parent = nullptr);
    ~DeliveryDialog() override;
    Q_DISABLE_COPY_MOVE(DeliveryDialog)

    // The store for "Keep for this session only" (a MemorySecretStore; the caller owns it and keeps it alive
    // for the session). Without one, the choice is not offered. When the connection's webhooks were kept for
    // this session only, the dialog works on this store from the start.
    void setSessionStore(SecretStore *store);
    // Whether the webhooks are being saved to the session-only store rather than the system keychain.
    bool usesSessionStore() const;

    static DeliverySettings load(const QString &connection);

    // The cluster of this connection, for "Send a test alert" to the alerts topic (none: that test says so).
    void setKafkaConnection(const QString &bootstrapServers, const peakwatch::KafkaProperties &properties);
    // Slack's Web API for the bot's test alert (a test points it at a local server); Slack's own by default.
    void setSlackApiUrl(const QUrl &url) { m_slackApiUrl = url; }
    // What a test alert is called, in every destination: "Test alert from Peakwatch".
    static QString testAlertTitle();

    void accept() override;
    void reject() override;

private:
    friend class DeliveryGroup; // the e-mail, Jira and webhook groups: their secrets and tests go through here

    // "Send a test alert": one alert marked as a test, through one destination's own sink only (never the
    // dispatcher, the outbox or the alert history); the outcome is shown next to the button.
    struct TestControls {
        QPushButton *button = nullptr;
        QLabel *outcome = nullptr;
    };
    struct ShopRow {
        QWidget *row = nullptr;
        QLineEdit *shop = nullptr;
        QLineEdit *url = nullptr;
        QPushButton *remove = nullptr;
        TestControls test;
        QString storedShop;  // the shop as saved; empty for a row added in this dialog
        bool stored = false; // a webhook for storedShop is in the store being read
    };
    struct Op {
        enum Kind { Write, Remove, Copy } kind;
        QString key;
        QString secret; // for Write
        QString what;   // for messages: "the default webhook", "the webhook of shop x.myshopify.com"
    };

    void checkStored();
    void showStored();
    void addShopRow(const QString &storedShop);
    void removeShopRow(QWidget *row);
    void updateTabOrder();
    void setShowUrls(bool show);
    void updateStoreNotice();
    void setBusy(bool busy);
    void showError(const QString &error);
    bool buildPlan(std::vector<Op> &plan, QStringList &shops);
    void run(std::size_t index);
    void fail(const QString &what, const QString &error);
    void finish();
    void keepForSession();
    void useKeychain();
    QString storedPlaceholderText() const;
    static QString removedPlaceholderText();

    TestControls makeTest(const QString &objectName, const QString &toolTip);
    using SinkMaker = std::function<std::unique_ptr<AlertSink>(const QString &secret, QString &error)>;
    // Sends with the secret typed in `field`, else the one stored at `key` when `stored`.
    void testWithSecret(const TestControls &test, QLineEdit *field, bool stored, const QString &key,
                        const QString &missing, const QString &destination, const SinkMaker &make);
    void sendTest(const TestControls &test, const QString &destination, std::unique_ptr<AlertSink> sink,
                  const QString &error);
    static void showTestOutcome(const TestControls &test, bool sent, const QString &text);
    void testDesktop();
    void testDefaultWebhook();
    void testBot();
    void testShopWebhook(QWidget *row);
    void testAlertsTopic();
    void updateTopicTest();

    const QString m_connection;
    SecretStore &m_secrets;
    SecretStore *m_sessionStore = nullptr;
    SecretStore *m_active;     // where saving writes
    SecretStore *m_source;     // where the webhooks shown as stored are
    bool m_sessionOnly;        // as loaded
    int m_checkGeneration = 0; // answers of an older check or save are ignored
    int m_saveGeneration = 0;
    bool m_saving = false;

    bool m_defaultStored = false;
    bool m_removeDefault = false;
    bool m_botStored = false;
    bool m_removeBot = false;
    bool m_planBot = false;     // a bot token is stored once the plan has run
    QStringList m_removedShops; // stored shops whose rows were removed
    std::vector<ShopRow> m_rows;
    std::vector<Op> m_plan;
    QStringList m_planShops;
    bool m_planDefault = false; // a default webhook is stored once the plan has run

    QCheckBox *m_desktop;
    QLineEdit *m_defaultUrl;
    QToolButton *m_showUrls;
    QPushButton *m_removeDefaultButton;
    QLineEdit *m_botToken;
    QPushButton *m_removeBotButton;
    QLineEdit *m_botChannel;
    QWidget *m_shopHeader;
    QLabel *m_noShops;
    QVBoxLayout *m_shopList;
    QPushButton *m_addShop;
    QLineEdit *m_topic;
    QLabel *m_storeNotice;
    QPushButton *m_useKeychain;
    QLabel *m_error;
    QLabel *m_sessionOffer;
    QPushButton *m_keepForSession;
    QDialogButtonBox *m_buttons;

    QString m_bootstrapServers;
    KafkaProperties m_kafkaProperties;
    QUrl m_slackApiUrl;
    TestControls m_testDesktop;
    TestControls m_testDefault;
    TestControls m_testBot;
    TestControls m_testTopic;
    std::vector<DeliveryGroup *> m_groups; // e-mail, Jira, webhook
};

} // namespace peakwatch::ui
