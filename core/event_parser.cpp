#include "event_parser.h"

#include "iso_time.h"

#include <simdjson.h>

#include <QStringBuilder>

namespace dom = simdjson::dom;

namespace peakwatch {
namespace {

QString latin(const char *text) { return QString::fromLatin1(text); }
QString utf8(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

QString typeName(dom::element_type type)
{
    switch (type) {
    case dom::element_type::ARRAY: return QStringLiteral("an array");
    case dom::element_type::OBJECT: return QStringLiteral("an object");
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return QStringLiteral("a number");
    case dom::element_type::STRING: return QStringLiteral("a string");
    case dom::element_type::BOOL: return QStringLiteral("a boolean");
    case dom::element_type::NULL_VALUE: return QStringLiteral("null");
    }
    return QStringLiteral("a value");
}

// What the walk over one product object (payload or Spark row) found.
struct Fields {
    bool hasId = false;
    qint64 id = 0;
    std::string_view title;
    bool hasUpdatedAt = false;
    qint64 updatedAt = 0;
    bool hasVariants = false;
    int variants = 0;
    qint64 quantity = 0;
    bool tracked = false;
    bool hasPrice = false;
    Money minPrice = 0;
    Money maxPrice = 0;
    // Spark-output columns
    bool hasSparkColumns = false;
    bool hasQuantity = false;
    bool hasMinPrice = false;
    bool hasMaxPrice = false;
};

struct Envelope {
    std::string_view shop;
    std::string_view webhookId;
};

} // namespace

struct EventParser::Impl {
    dom::parser parser;
    size_t maxValueBytes;
    Rejection *rejection = nullptr;

    bool fail(RejectReason reason, QString detail)
    {
        rejection->reason = reason;
        rejection->detail = std::move(detail);
        return false;
    }

    // Maps a simdjson error met while reading `path` to a reason and a sentence.
    bool failOn(simdjson::error_code error, const QString &path, const char *expected)
    {
        switch (error) {
        case simdjson::UTF8_ERROR: return fail(RejectReason::NotUtf8, latin("the value is not valid UTF-8"));
        case simdjson::INCORRECT_TYPE:
            return fail(RejectReason::WrongType, path % QStringLiteral(": expected ") % latin(expected));
        case simdjson::NUMBER_OUT_OF_RANGE:
            return fail(RejectReason::WrongType, path % QStringLiteral(": number out of range, expected ") %
                                                     latin(expected));
        default:
            return fail(RejectReason::InvalidJson,
                        QStringLiteral("invalid JSON at ") % path % QStringLiteral(": ") %
                            latin(simdjson::error_message(error)));
        }
    }

    bool readPrice(dom::element value, const QString &path, Money &out)
    {
        const dom::element_type type = value.type();
        if (type == dom::element_type::STRING) {
            const std::string_view text = value.get_string().value_unsafe();
            const auto money = parseMoney(text);
            if (!money)
                return fail(RejectReason::BadPrice, path % QStringLiteral(": \"") % utf8(text) %
                                                        QStringLiteral("\" is not a decimal price"));
            out = *money;
            return true;
        }
        if (type == dom::element_type::DOUBLE || type == dom::element_type::INT64 ||
            type == dom::element_type::UINT64) {
            const double number = value.get_double().value_unsafe();
            const auto money = moneyFromDouble(number);
            if (!money || *money < 0)
                return fail(RejectReason::BadPrice, path % QStringLiteral(": ") % QString::number(number) %
                                                        QStringLiteral(" is not a price"));
            out = *money;
            return true;
        }
        return fail(RejectReason::WrongType, path % QStringLiteral(": expected a price, got ") % typeName(type));
    }

    bool readTime(dom::element value, const QString &path, qint64 &out)
    {
        std::string_view text;
        if (auto e = value.get_string().get(text))
            return failOn(e, path, "an ISO 8601 time string");
        const auto ms = parseIsoTime(text);
        if (!ms)
            return fail(RejectReason::BadTimestamp, path % QStringLiteral(": \"") % utf8(text) %
                                                        QStringLiteral("\" is not an ISO 8601 time"));
        out = *ms;
        return true;
    }

    bool readInteger(dom::element value, const QString &path, const char *expected, qint64 &out)
    {
        int64_t v;
        if (auto e = value.get_int64().get(v))
            return failOn(e, path, expected);
        out = v;
        return true;
    }

    void notePrice(Fields &f, Money price)
    {
        if (!f.hasPrice) {
            f.minPrice = f.maxPrice = price;
            f.hasPrice = true;
        } else {
            f.minPrice = std::min(f.minPrice, price);
            f.maxPrice = std::max(f.maxPrice, price);
        }
    }

    bool readVariant(dom::element value, int index, Fields &f)
    {
        dom::object object;
        if (auto e = value.get_object().get(object))
            return failOn(e, QStringLiteral("variants[%1]").arg(index), "an object");
        bool hasQuantity = false, quantityNull = false, managementNull = false;
        qint64 quantity = 0;
        for (const dom::key_value_pair field : object) {
            const std::string_view key = field.key;
            if (key == "price") {
                Money price;
                if (!readPrice(field.value, QStringLiteral("variants[%1].price").arg(index), price))
                    return false;
                notePrice(f, price);
            } else if (key == "inventory_quantity") {
                hasQuantity = true;
                if (field.value.is_null())
                    quantityNull = true;
                else if (!readInteger(field.value, QStringLiteral("variants[%1].inventory_quantity").arg(index),
                                      "an integer", quantity))
                    return false;
            } else if (key == "inventory_management") {
                managementNull = field.value.is_null();
            }
        }
        // Since API 2024-07 variants carry no inventory_management: tracked unless it is present and null.
        if (!managementNull) {
            if (!hasQuantity)
                return fail(RejectReason::MissingField,
                            QStringLiteral("variants[%1].inventory_quantity is missing").arg(index));
            if (quantityNull)
                return fail(RejectReason::WrongType,
                            QStringLiteral("variants[%1].inventory_quantity: expected an integer, got null").arg(index));
            f.tracked = true;
            f.quantity += quantity;
        }
        return true;
    }

    bool readVariants(dom::element value, Fields &f)
    {
        dom::array array;
        if (auto e = value.get_array().get(array))
            return failOn(e, QStringLiteral("variants"), "an array");
        f.hasVariants = true;
        for (const dom::element v : array) {
            if (!readVariant(v, f.variants, f))
                return false;
            ++f.variants;
        }
        return true;
    }

    bool readMetadata(dom::element value, Envelope &envelope)
    {
        dom::object object;
        if (auto e = value.get_object().get(object))
            return failOn(e, QStringLiteral("detail.metadata"), "an object");
        for (const dom::key_value_pair field : object) {
            const std::string_view key = field.key;
            const bool isShop = key.size() == 21 && QByteArrayView(key.data(), 21).compare(
                                                        "x-shopify-shop-domain", Qt::CaseInsensitive) == 0;
            const bool isWebhook = key.size() == 20 && QByteArrayView(key.data(), 20).compare(
                                                           "x-shopify-webhook-id", Qt::CaseInsensitive) == 0;
            if (!isShop && !isWebhook)
                continue;
            std::string_view text;
            if (auto e = field.value.get_string().get(text))
                return failOn(e, QStringLiteral("detail.metadata.") % utf8(key), "a string");
            (isShop ? envelope.shop : envelope.webhookId) = text;
        }
        return true;
    }

    // Walks a product object: the raw payload, the envelope's detail.payload, or a Spark row.
    bool readProduct(dom::object object, const QString &prefix, Fields &f)
    {
        for (const dom::key_value_pair field : object) {
            const std::string_view key = field.key;
            const dom::element v = field.value;
            if (key == "id") {
                f.hasId = true;
                if (!readInteger(v, prefix % QStringLiteral("id"), "an integer product id", f.id))
                    return false;
                if (f.id <= 0)
                    return fail(RejectReason::BadId, prefix % QStringLiteral("id: ") % QString::number(f.id) %
                                                         QStringLiteral(" is not a product id"));
            } else if (key == "title") {
                if (!v.is_null()) {
                    if (auto e = v.get_string().get(f.title))
                        return failOn(e, prefix % QStringLiteral("title"), "a string");
                }
            } else if (key == "updated_at") {
                f.hasUpdatedAt = true;
                if (!readTime(v, prefix % QStringLiteral("updated_at"), f.updatedAt))
                    return false;
            } else if (key == "variants") {
                if (!readVariants(v, f))
                    return false;
            } else if (key == "timestamp") {
                f.hasSparkColumns = f.hasUpdatedAt = true;
                if (!readTime(v, prefix % QStringLiteral("timestamp"), f.updatedAt))
                    return false;
            } else if (key == "quantity") {
                f.hasSparkColumns = f.hasQuantity = true;
                if (!readInteger(v, prefix % QStringLiteral("quantity"), "an integer", f.quantity))
                    return false;
            } else if (key == "minPrice" || key == "maxPrice") {
                const bool isMin = key == "minPrice";
                f.hasSparkColumns = true;
                (isMin ? f.hasMinPrice : f.hasMaxPrice) = true;
                Money price;
                if (!readPrice(v, prefix % (isMin ? QStringLiteral("minPrice") : QStringLiteral("maxPrice")), price))
                    return false;
                (isMin ? f.minPrice : f.maxPrice) = price;
            }
        }
        return true;
    }

    bool readDetail(dom::element value, Fields &f, Envelope &envelope)
    {
        dom::object detail;
        if (auto e = value.get_object().get(detail))
            return failOn(e, QStringLiteral("detail"), "an object");
        for (const dom::key_value_pair df : detail) {
            if (df.key == "payload") {
                dom::object payload;
                if (auto e = df.value.get_object().get(payload))
                    return failOn(e, QStringLiteral("detail.payload"), "an object");
                if (!readProduct(payload, QStringLiteral("detail.payload."), f))
                    return false;
            } else if (df.key == "metadata") {
                if (!readMetadata(df.value, envelope))
                    return false;
            }
        }
        return true;
    }

    bool validate(const Fields &f, const QString &prefix, bool isEnvelope)
    {
        if (isEnvelope && !f.hasId && !f.hasVariants)
            return fail(RejectReason::MissingField, QStringLiteral("detail.payload is missing"));
        if (f.hasVariants) {
            if (!f.hasId)
                return fail(RejectReason::MissingField, prefix % QStringLiteral("id is missing"));
            if (!f.hasUpdatedAt)
                return fail(RejectReason::MissingField, prefix % QStringLiteral("updated_at is missing"));
            if (f.variants == 0)
                return fail(RejectReason::NoVariants, prefix % QStringLiteral("variants is empty"));
            return true;
        }
        if (f.hasSparkColumns) {
            if (!f.hasId)
                return fail(RejectReason::MissingField, prefix % QStringLiteral("id is missing"));
            if (!f.hasUpdatedAt)
                return fail(RejectReason::MissingField, prefix % QStringLiteral("timestamp is missing"));
            if (!f.hasQuantity)
                return fail(RejectReason::MissingField, prefix % QStringLiteral("quantity is missing"));
            return true;
        }
        if (f.hasId)
            return fail(RejectReason::MissingField, prefix % QStringLiteral("variants is missing"));
        return fail(RejectReason::UnknownShape,
                    latin("not a products/update payload, an EventBridge envelope or a Spark-output row "
                          "(no id, variants, detail or quantity)"));
    }
};

EventParser::EventParser(size_t maxValueBytes)
    : d(std::make_unique<Impl>())
{
    d->maxValueBytes = maxValueBytes;
}

EventParser::~EventParser() = default;

size_t EventParser::padding() { return simdjson::SIMDJSON_PADDING; }

bool EventParser::parse(const RawMessage &message, ProductEvent &event, Rejection &rejection)
{
    d->rejection = &rejection;
    const std::string_view value = message.value;
    if (value.size() > d->maxValueBytes)
        return d->fail(RejectReason::TooLarge, QStringLiteral("the value is %1 bytes, over the limit of %2")
                                                   .arg(value.size())
                                                   .arg(d->maxValueBytes));
    if (value.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return d->fail(RejectReason::InvalidJson, latin("the value is empty"));

    dom::element doc;
    const bool padded = message.capacity >= value.size() + simdjson::SIMDJSON_PADDING;
    if (auto e = d->parser.parse(value.data(), value.size(), !padded).get(doc))
        return d->failOn(e, latin("top level"), "a JSON object");
    dom::object object;
    if (doc.type() != dom::element_type::OBJECT)
        return d->fail(RejectReason::NotAnObject, QStringLiteral("expected a JSON object, got ") % typeName(doc.type()));
    object = doc.get_object().value_unsafe();
    Fields f;
    Envelope envelope;
    // An EventBridge envelope has its own top-level id and time: read only its detail.
    dom::element detail;
    const bool isEnvelope = object.at_key("detail").get(detail) == simdjson::SUCCESS;
    if (isEnvelope) {
        if (!d->readDetail(detail, f, envelope))
            return false;
    } else if (!d->readProduct(object, QString(), f)) {
        return false;
    }
    if (!d->validate(f, isEnvelope ? QStringLiteral("detail.payload.") : QString(), isEnvelope))
        return false;

    event.productId = f.id;
    event.title = f.title;
    event.updatedAtMs = f.updatedAt;
    if (f.hasVariants) {
        event.quantity = f.quantity;
        event.tracked = f.tracked;
        event.hasPrice = f.hasPrice;
        event.minPrice = f.minPrice;
        event.maxPrice = f.maxPrice;
    } else { // Spark-output row
        event.quantity = f.quantity;
        event.tracked = true;
        event.hasPrice = f.hasMinPrice || f.hasMaxPrice;
        event.minPrice = f.hasMinPrice ? f.minPrice : f.maxPrice;
        event.maxPrice = f.hasMaxPrice ? f.maxPrice : f.minPrice;
    }
    // The shop: the X-Shopify-Shop-Domain header, then the envelope's metadata, then the Kafka key.
    event.shop = !message.shopDomainHeader.empty() ? message.shopDomainHeader
                 : !envelope.shop.empty()          ? envelope.shop
                                                   : message.key;
    const std::string_view webhookId =
        !message.webhookIdHeader.empty() ? message.webhookIdHeader : envelope.webhookId;
    event.webhookId = webhookId.empty() ? 0 : fnv1a64(webhookId);
    return true;
}

} // namespace peakwatch
