// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_view.h"

#include "row_table.h"
#include "ui_format.h"
#include "webhook_lines_model.h"
#include "webhook_variants_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QStringBuilder>
#include <QTableView>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

using Kind = WebhookReading::Kind;

QString html(const QString &text)
{
    return text.toHtmlEscaped();
}

// "<b>Product</b> 8841726390317": a label and its value, the value left out when it is empty.
QString field(const QString &label, const QString &value)
{
    return value.isEmpty() ? QString() : QStringLiteral("<b>") % html(label) % QStringLiteral("</b> ") % html(value);
}

// Non-empty parts joined with a separator, one line of the summary.
QString line(const QStringList &parts)
{
    QStringList kept;
    for (const QString &part : parts)
        if (!part.isEmpty())
            kept << part;
    return kept.join(QStringLiteral(" · "));
}

QString idText(qint64 id)
{
    return id == 0 ? QString() : QString::number(id);
}

QTableView *newTable(const char *objectName, QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(QLatin1String(objectName));
    table->setModel(model);
    setUpRowTable(*table, QAbstractItemView::SingleSelection);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    return table;
}

} // namespace

WebhookView::WebhookView(QWidget *parent)
    : QWidget(parent)
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("webhookSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_summary->setOpenExternalLinks(true);
    m_summary->setWordWrap(true);

    m_engine = new QLabel(this);
    m_engine->setObjectName(QStringLiteral("webhookReading"));
    m_engine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_engine->setWordWrap(true);
    m_engine->setToolTip(tr("What Peakwatch's engine makes of this message, read by the same parser as the stream"));

    m_variantsModel = new WebhookVariantsModel(this);
    m_variants = newTable("webhookVariants", m_variantsModel, this);
    m_variants->setColumnWidth(WebhookVariantsModel::Title, 160);
    m_variants->setColumnWidth(WebhookVariantsModel::Sku, 120);
    m_variants->setColumnWidth(WebhookVariantsModel::Price, 80);
    m_variants->setToolTip(tr("The product's variants as sent: stock is inventory_quantity, summed over locations"));

    m_linesModel = new WebhookLinesModel(this);
    m_lines = newTable("webhookLines", m_linesModel, this);
    m_lines->setColumnWidth(WebhookLinesModel::Product, 130);
    m_lines->setColumnWidth(WebhookLinesModel::Variant, 130);
    m_lines->setColumnWidth(WebhookLinesModel::Title, 200);
    m_lines->setColumnWidth(WebhookLinesModel::Quantity, 70);
    m_lines->setToolTip(tr("What the order sold, line by line"));

    m_total = new QLabel(this);
    m_total->setObjectName(QStringLiteral("webhookTotal"));
    m_total->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_total->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_engine);
    layout->addWidget(m_variants, 1);
    layout->addWidget(m_lines, 1);
    layout->addWidget(m_total);
    layout->addStretch(0);
    clear();
}

void WebhookView::clear()
{
    showReading({});
}

void WebhookView::showReading(const WebhookReading &reading)
{
    m_reading = reading;
    m_summary->setText(summaryText());

    m_engine->setText(reading.engineReading);
    QPalette palette = m_engine->palette();
    palette.setColor(QPalette::WindowText, reading.accepted ? QWidget::palette().color(QPalette::WindowText)
                                                            : statusColor(ProductStatus::SoldOut, QWidget::palette()));
    m_engine->setPalette(palette);

    const bool product = reading.kind == Kind::Product;
    const bool order = reading.kind == Kind::Order;
    m_variantsModel->setVariants(product ? reading.variants : QList<WebhookVariant>());
    m_linesModel->setLines(order ? reading.lines : QList<WebhookOrderLine>());
    m_variants->setVisible(product);
    m_lines->setVisible(order);
    m_total->setText(totalText());
    m_total->setVisible(!m_total->text().isEmpty());
}

QString WebhookView::summaryText() const
{
    const WebhookReading &r = m_reading;
    // Where the message came from and in which form.
    QString topic = r.topic;
    if (topic.isEmpty()) {
        switch (r.kind) {
        case Kind::Product: topic = tr("products/update (by its shape)"); break;
        case Kind::SparkRow: topic = tr("a Spark-output row"); break;
        case Kind::InventoryLevel: topic = tr("inventory_levels/update (by its shape)"); break;
        case Kind::Order: topic = tr("orders/create (by its shape)"); break;
        case Kind::OtherTopic: topic = tr("a Shopify webhook"); break;
        case Kind::None: return {};
        }
    } else if (r.kind == Kind::SparkRow) {
        topic = tr("%1, a Spark-output row").arg(topic);
    }
    const QString source = line({html(topic), r.inEnvelope ? tr("in an Amazon EventBridge envelope") : QString(),
                                 r.apiVersion.isEmpty() ? QString() : html(tr("API version %1").arg(r.apiVersion))});
    const QString shop =
        line({field(tr("Shop"), r.shop), r.adminUrl.isEmpty()
                                             ? QString()
                                             : QStringLiteral("<a href=\"") % html(r.adminUrl) % QStringLiteral("\">") %
                                                   html(tr("Open in the Shopify admin")) % QStringLiteral("</a>")});

    QStringList lines;
    switch (r.kind) {
    case Kind::Product:
    case Kind::SparkRow:
        lines << QStringLiteral("<b>") % html(r.title.isEmpty() ? tr("(no title)") : r.title) % QStringLiteral("</b>")
              << line({field(tr("Product"), idText(r.productId)), field(tr("Vendor"), r.vendor),
                       field(tr("Status"), r.status)})
              << shop
              << line({source, field(r.kind == Kind::SparkRow ? tr("Timestamp") : tr("Updated at"), r.eventTime)});
        break;
    case Kind::InventoryLevel:
        lines << QStringLiteral("<b>") % html(tr("Inventory level")) % QStringLiteral("</b>")
              << line({field(tr("Inventory item"), idText(r.inventoryItemId)),
                       field(tr("Location"), idText(r.locationId)),
                       field(tr("Available"), r.availableTracked ? count(r.available) : tr("not tracked"))})
              << shop << line({source, field(tr("Updated at"), r.eventTime)});
        break;
    case Kind::Order:
        lines << QStringLiteral("<b>") % html(r.orderName.isEmpty() ? tr("Order") : tr("Order %1").arg(r.orderName)) %
                     QStringLiteral("</b>")
              << line({field(tr("Order id"), idText(r.orderId)), field(tr("Created at"), r.eventTime)}) << shop
              << source;
        break;
    case Kind::OtherTopic:
        lines << QStringLiteral("<b>") % html(tr("Not a topic Peakwatch reads")) % QStringLiteral("</b>") << shop
              << source;
        break;
    case Kind::None: break;
    }
    lines.removeAll(QString());
    return lines.join(QStringLiteral("<br>"));
}

QString WebhookView::totalText() const
{
    const WebhookReading &r = m_reading;
    switch (r.kind) {
    case Kind::Product: {
        if (!r.accepted)
            return tr("No total: the engine rejects the message.");
        if (!r.tracked)
            return tr("No total: no variant tracks its stock.");
        qsizetype tracked = 0, out = 0;
        for (const WebhookVariant &v : r.variants) {
            tracked += v.tracked ? 1 : 0;
            out += v.outOfStock() ? 1 : 0;
        }
        QString text = tr("Total stock %1 over %2 tracked of %3 variants")
                           .arg(count(r.quantity))
                           .arg(tracked)
                           .arg(r.variants.size());
        if (out > 0)
            text += tr("; %1 out of stock").arg(out);
        return text + u'.';
    }
    case Kind::Order: {
        qint64 units = 0;
        for (const WebhookOrderLine &l : r.lines)
            units += l.quantity;
        return tr("%1 units over %2 lines.").arg(count(units)).arg(r.lines.size());
    }
    case Kind::SparkRow: return r.accepted ? tr("Total stock %1.").arg(count(r.quantity)) : QString();
    case Kind::InventoryLevel:
    case Kind::OtherTopic:
    case Kind::None: break;
    }
    return {};
}

} // namespace peakwatch::ui
