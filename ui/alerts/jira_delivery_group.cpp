// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "jira_delivery_group.h"

#include "jira_sink.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStringBuilder>

namespace peakwatch::ui {
namespace {

const QString kJira = QStringLiteral("jira");
const QString kJiraProject = QStringLiteral("jiraProject");
const QString kJiraIssueType = QStringLiteral("jiraIssueType");
const QString kJiraLabels = QStringLiteral("jiraLabels");
const QString kJiraResolveOnRestock = QStringLiteral("jiraResolveOnRestock");
const QString kJiraResolveTransition = QStringLiteral("jiraResolveTransition");

} // namespace

JiraDeliveryGroup::JiraDeliveryGroup(const QString &connection, const DeliverySettings &settings,
                                     DeliveryDialog &dialog)
    : DeliveryGroup(QStringLiteral("Jira"), dialog)
    , m_project(new QLineEdit(settings.jiraProject, this))
    , m_issueType(new QLineEdit(settings.jiraIssueType, this))
    , m_labels(new QLineEdit(settings.jiraLabels.join(QStringLiteral(", ")), this))
    , m_resolve(new QCheckBox(QStringLiteral("Resolve the issue when the product is restocked, through"), this))
    , m_transition(new QLineEdit(settings.jiraResolveTransition, this))
{
    m_site = addSecret(QStringLiteral("jiraSite"), jiraSiteKey(connection),
                       QStringLiteral("the Jira site with its API token"),
                       QStringLiteral("https://you%40example.com:API-token@your-site.atlassian.net"),
                       QStringLiteral("Your Jira Cloud site with the account's e-mail address (@ written %40) and an "
                                      "API token of that account (id.atlassian.com → Security → API tokens)."));
    m_project->setObjectName(QStringLiteral("jiraProject"));
    m_project->setPlaceholderText(QStringLiteral("OPS"));
    m_project->setToolTip(QStringLiteral("The key of the project the issues are filed in"));
    m_issueType->setObjectName(QStringLiteral("jiraIssueType"));
    m_issueType->setPlaceholderText(QStringLiteral("Task"));
    m_issueType->setToolTip(QStringLiteral("An issue type the project has"));
    m_labels->setObjectName(QStringLiteral("jiraLabels"));
    m_labels->setPlaceholderText(QStringLiteral("stock, reorder"));
    m_labels->setToolTip(QStringLiteral("Labels for every issue besides \"peakwatch\", separated by commas"));
    m_resolve->setObjectName(QStringLiteral("jiraResolveOnRestock"));
    m_resolve->setChecked(settings.jiraResolveOnRestock);
    m_resolve->setToolTip(QStringLiteral("Otherwise the restock is a comment and the issue stays open"));
    m_transition->setObjectName(QStringLiteral("jiraResolveTransition"));
    m_transition->setPlaceholderText(QStringLiteral("Done"));
    m_transition->setToolTip(QStringLiteral("The workflow transition that resolves an issue"));
    m_transition->setEnabled(m_resolve->isChecked());
    connect(m_resolve, &QCheckBox::toggled, m_transition, &QWidget::setEnabled);
    removeButton()->setObjectName(QStringLiteral("removeJira"));
    makeTest(QStringLiteral("testJira"), QStringLiteral("File one issue marked as a test in the project now (the site "
                                                        "typed here, else the stored one)"));

    auto *siteRow = new QHBoxLayout;
    siteRow->addWidget(m_site, 1);
    siteRow->addWidget(removeButton());
    auto *projectRow = new QHBoxLayout;
    projectRow->addWidget(m_project, 1);
    projectRow->addWidget(testButton());
    auto *resolveRow = new QHBoxLayout;
    resolveRow->addWidget(m_resolve);
    resolveRow->addWidget(m_transition, 1);
    auto *form = new QFormLayout(this);
    auto *siteLabel = new QLabel(QStringLiteral("S&ite:"), this);
    siteLabel->setBuddy(m_site);
    form->addRow(siteLabel, siteRow);
    auto *projectLabel = new QLabel(QStringLiteral("Pro&ject:"), this);
    projectLabel->setBuddy(m_project);
    form->addRow(projectLabel, projectRow);
    form->addRow(testOutcome());
    form->addRow(QStringLiteral("Issue type:"), m_issueType);
    form->addRow(QStringLiteral("Labels:"), m_labels);
    form->addRow(resolveRow);
}

void JiraDeliveryGroup::load(const QSettings &settings, DeliverySettings &out)
{
    out.jira = settings.value(kJira, false).toBool();
    out.jiraProject = settings.value(kJiraProject).toString();
    out.jiraIssueType = settings.value(kJiraIssueType, out.jiraIssueType).toString();
    out.jiraLabels = settings.value(kJiraLabels).toStringList();
    out.jiraResolveOnRestock = settings.value(kJiraResolveOnRestock, out.jiraResolveOnRestock).toBool();
    out.jiraResolveTransition = settings.value(kJiraResolveTransition, out.jiraResolveTransition).toString();
}

void JiraDeliveryGroup::save(QSettings &settings) const
{
    const JiraOptions o = options();
    settings.setValue(kJira, configured());
    settings.setValue(kJiraProject, o.projectKey);
    settings.setValue(kJiraIssueType, o.issueType);
    settings.setValue(kJiraLabels, o.labels);
    settings.setValue(kJiraResolveOnRestock, o.onRestock == JiraOptions::OnRestock::Resolve);
    settings.setValue(kJiraResolveTransition, o.resolveTransition);
}

QList<QWidget *> JiraDeliveryGroup::tabChain() const
{
    return {m_site, removeButton(), m_project, testButton(), m_issueType, m_labels, m_resolve, m_transition};
}

QStringList JiraDeliveryGroup::labels() const
{
    // Jira's labels hold no spaces: commas or spaces separate them.
    static const QRegularExpression separator(QStringLiteral("[,\\s]+"));
    return m_labels->text().split(separator, Qt::SkipEmptyParts);
}

JiraOptions JiraDeliveryGroup::options() const
{
    JiraOptions o;
    o.projectKey = m_project->text().trimmed();
    if (const QString type = m_issueType->text().trimmed(); !type.isEmpty())
        o.issueType = type;
    o.labels = labels();
    o.onRestock = m_resolve->isChecked() ? JiraOptions::OnRestock::Resolve : JiraOptions::OnRestock::Leave;
    if (const QString transition = m_transition->text().trimmed(); !transition.isEmpty())
        o.resolveTransition = transition;
    return o;
}

QString JiraDeliveryGroup::problem(QWidget *&where) const
{
    if (!configured()) {
        where = m_site;
        return removing() || m_project->text().trimmed().isEmpty()
                   ? QString()
                   : QStringLiteral("Jira: enter the site with its API token, or clear the project.");
    }
    if (const QString site = typed(0); !site.isEmpty()) {
        if (const Status ok = JiraSink::checkSite(QUrl(site, QUrl::StrictMode)); !ok) {
            where = m_site;
            return QStringLiteral("Jira: ") % ok.error();
        }
    }
    if (const Status ok = JiraSink::checkOptions(options()); !ok) {
        where = m_project;
        return QStringLiteral("Jira: ") % ok.error();
    }
    return {};
}

std::unique_ptr<AlertSink> JiraDeliveryGroup::makeSink(const QStringList &secrets, QString &error) const
{
    const QUrl site(secrets.value(0), QUrl::StrictMode);
    if (const Status ok = JiraSink::checkSite(site); !ok) {
        error = ok.error();
        return nullptr;
    }
    if (const Status ok = JiraSink::checkOptions(options()); !ok) {
        error = ok.error();
        return nullptr;
    }
    return std::make_unique<JiraSink>(QStringLiteral("jira"), site, options());
}

QString JiraDeliveryGroup::destination() const
{
    return QStringLiteral("Jira project ") % m_project->text().trimmed();
}

} // namespace peakwatch::ui
