// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "event_parser.h"

#include "iso_time.h"
#include "shopify_event.h"

#include <simdjson.h>

#include <QDateTime>
#include <QStringBuilder>

#include <cmath>
#include <functional>
#include <limits>

namespace peakwatch {

// On-Demand reads only the fields Peakwatch needs and skips the rest of a 3 KB payload; measured about
// twice as fast as simdjson's DOM parser on realistic payloads, even in its portable build.
namespace od = simdjson::ondemand;

namespace {

// Quantities and their sums are kept within ±2^53: exact in a double, and far from the ends of 64 bits, so that no
// difference or sum of two of them can overflow anywhere downstream.
constexpr qint64 kMaxQuantity = qint64(1) << 53;

bool quantityInRange(qint64 quantity)
{
    return quantity >= -kMaxQuantity && quantity <= kMaxQuantity;
}

// Where a failure is: "detail.payload." inside an envelope, "variants[i]." inside a variant, then the
// field ("" for the variant itself). Plain values: the words are only built when a value is rejected.
struct Path {
    bool inPayload = false;
    int variant = -1; // the index in `list`, -1 outside it
    const char *field = "";
    const char *list = "variants"; // or "line_items"
};

struct Failure {
    enum class Value { None, Text, Number, Integer, JsonType };
    RejectReason reason = RejectReason::InvalidJson;
    simdjson::error_code simdjsonError = simdjson::SUCCESS;
    Path path;
    const char *expected = ""; // for type errors: "an integer"
    const char *problem = "";  // "is not a decimal price", "is missing"
    Value value = Value::None;
    std::string_view text; // the offending text, valid until the next parse
    double number = 0;
    qint64 integer = 0;
    od::json_type jsonType = od::json_type::null;
};

struct Fields {
    bool hasId = false;
    qint64 id = 0;
    std::string_view title;
    std::string_view handle;
    bool hasUpdatedAt = false;
    qint64 updatedAt = 0;
    bool hasVariants = false;
    int variants = 0;
    int variantGids = 0; // entries of variant_gids
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
    // inventory_levels/update
    bool hasInventoryItemId = false;
    qint64 inventoryItemId = 0;
    bool hasLocationId = false;
    bool locationIdNull = false;
    qint64 locationId = 0;
    bool hasAvailable = false;
    bool availableNull = false;
    qint64 available = 0;
    // orders/create
    bool hasCreatedAt = false;
    qint64 createdAt = 0;
    bool hasLineItems = false;
};

struct Walk {
    Fields fields;
    std::vector<VariantStock> *variants = nullptr; // the parser's, cleared for each message
    std::vector<OrderLine> *lines = nullptr;
    std::string_view envelopeTopic; // detail.metadata's X-Shopify-Topic
    bool isEnvelope = false;
    bool hasPayload = false;
    std::string_view envelopeShop;
    std::string_view envelopeWebhookId;
    std::string_view envelopeEventId;
    std::string_view envelopeTriggeredAt;
    Failure failure;
};

bool jsonFail(Walk &w, simdjson::error_code error, Path path, const char *expected)
{
    w.failure = Failure{};
    w.failure.simdjsonError = error;
    w.failure.path = path;
    w.failure.expected = expected;
    return false;
}

bool reasonFail(Walk &w, RejectReason reason, Path path, const char *problem)
{
    w.failure = Failure{};
    w.failure.reason = reason;
    w.failure.path = path;
    w.failure.problem = problem;
    return false;
}

bool typeFail(Walk &w, Path path, const char *expected, od::json_type got)
{
    reasonFail(w, RejectReason::WrongType, path, "");
    w.failure.expected = expected;
    w.failure.value = Failure::Value::JsonType;
    w.failure.jsonType = got;
    return false;
}

bool textFail(Walk &w, RejectReason reason, Path path, const char *problem, std::string_view text)
{
    reasonFail(w, reason, path, problem);
    w.failure.value = Failure::Value::Text;
    w.failure.text = text;
    return false;
}

bool equalsIgnoringCase(std::string_view a, std::string_view lowerB)
{
    if (a.size() != lowerB.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const char c = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] - 'A' + 'a') : a[i];
        if (c != lowerB[i])
            return false;
    }
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

bool readPrice(od::value value, Path path, Walk &w, Money &out)
{
    od::json_type type;
    if (auto e = value.type().get(type))
        return jsonFail(w, e, path, "a price");
    if (type == od::json_type::string) {
        std::string_view text;
        if (auto e = value.get_string().get(text))
            return jsonFail(w, e, path, "a price");
        const auto money = parseMoney(text);
        if (!money || *money < 0)
            return textFail(w, RejectReason::BadPrice, path, "is not a decimal price", text);
        out = *money;
        return true;
    }
    if (type == od::json_type::number) {
        double number;
        if (auto e = value.get_double().get(number))
            return jsonFail(w, e, path, "a price");
        const auto money = moneyFromDouble(number);
        if (!money || *money < 0) {
            reasonFail(w, RejectReason::BadPrice, path, "is not a price");
            w.failure.value = Failure::Value::Number;
            w.failure.number = number;
            return false;
        }
        out = *money;
        return true;
    }
    return typeFail(w, path, "a price", type);
}

bool readTime(od::value value, Path path, Walk &w, qint64 &out)
{
    std::string_view text;
    if (auto e = value.get_string().get(text))
        return jsonFail(w, e, path, "an ISO 8601 time string");
    const auto ms = parseIsoTime(text);
    if (!ms)
        return textFail(w, RejectReason::BadTimestamp, path, "is not an ISO 8601 time", text);
    out = *ms;
    return true;
}

bool readInteger(od::value value, Path path, const char *expected, Walk &w, qint64 &out)
{
    int64_t v;
    if (auto e = value.get_int64().get(v))
        return jsonFail(w, e, path, expected);
    out = v;
    return true;
}

bool integerFail(Walk &w, RejectReason reason, Path path, const char *problem, qint64 value)
{
    reasonFail(w, reason, path, problem);
    w.failure.value = Failure::Value::Integer;
    w.failure.integer = value;
    return false;
}

// A quantity: an integer within ±2^53; one beyond 64 bits is out of range too, not of the wrong type.
bool readQuantity(od::value value, Path path, Walk &w, qint64 &out)
{
    int64_t v;
    if (auto e = value.get_int64().get(v)) {
        // Beyond 64 bits simdjson has no integer to give; a whole number that large is out of range, not of the
        // wrong type.
        double number = 0;
        if (e == simdjson::NUMBER_OUT_OF_RANGE ||
            (value.get_double().get(number) == simdjson::SUCCESS && number == std::floor(number) &&
             std::fabs(number) > double(kMaxQuantity)))
            return reasonFail(w, RejectReason::QuantityOutOfRange, path, "is beyond ±2^53");
        return jsonFail(w, e, path, "an integer");
    }
    if (!quantityInRange(v))
        return integerFail(w, RejectReason::QuantityOutOfRange, path, "is beyond ±2^53", v);
    out = v;
    return true;
}

// An id that may be null (a custom order line has no product): 0 then; otherwise a positive integer.
bool readOptionalId(od::value value, Path path, const char *what, Walk &w, qint64 &out)
{
    bool isNull = false;
    if (auto e = value.is_null().get(isNull))
        return jsonFail(w, e, path, what);
    out = 0;
    if (isNull)
        return true;
    if (!readInteger(value, path, what, w, out))
        return false;
    if (out <= 0)
        return integerFail(w, RejectReason::BadId, path, "is not an id", out);
    return true;
}

// One line of an order: the product and variant (null for a custom item) and the units sold.
bool readLineItem(od::value value, bool inPayload, int index, Walk &w)
{
    od::object object;
    const Path itself{inPayload, index, "", "line_items"};
    if (auto e = value.get_object().get(object))
        return jsonFail(w, e, itself, "an object");
    OrderLine line;
    bool hasQuantity = false;
    for (auto fieldResult : object) {
        od::field field;
        if (auto e = std::move(fieldResult).get(field))
            return jsonFail(w, e, itself, "an object");
        const od::raw_json_string key = field.key();
        od::value v = field.value();
        if (key == "product_id") {
            if (!readOptionalId(v, {inPayload, index, "product_id", "line_items"}, "a product id", w, line.productId))
                return false;
        } else if (key == "variant_id") {
            if (!readOptionalId(v, {inPayload, index, "variant_id", "line_items"}, "a variant id", w, line.variantId))
                return false;
        } else if (key == "quantity") {
            hasQuantity = true;
            const Path path{inPayload, index, "quantity", "line_items"};
            if (!readQuantity(v, path, w, line.quantity))
                return false;
            if (line.quantity < 0)
                return integerFail(w, RejectReason::QuantityOutOfRange, path, "is not a number of units sold",
                                   line.quantity);
        }
    }
    if (!hasQuantity)
        return reasonFail(w, RejectReason::MissingField, {inPayload, index, "quantity", "line_items"}, "is missing");
    if (w.lines)
        w.lines->push_back(line);
    return true;
}

bool readLineItems(od::value value, bool inPayload, Fields &f, Walk &w)
{
    od::array array;
    if (auto e = value.get_array().get(array))
        return jsonFail(w, e, {inPayload, -1, "line_items"}, "an array");
    f.hasLineItems = true;
    int index = 0;
    for (auto element : array) {
        od::value v;
        if (auto e = std::move(element).get(v))
            return jsonFail(w, e, {inPayload, index, "", "line_items"}, "an object");
        if (!readLineItem(v, inPayload, index, w))
            return false;
        ++index;
    }
    return true;
}

bool readVariant(od::value value, bool inPayload, int index, Fields &f, Walk &w)
{
    od::object object;
    if (auto e = value.get_object().get(object))
        return jsonFail(w, e, {inPayload, index, ""}, "an object");
    bool hasQuantity = false, quantityNull = false, managementNull = false;
    qint64 quantity = 0;
    VariantStock stock;
    for (auto fieldResult : object) {
        od::field field;
        if (auto e = std::move(fieldResult).get(field))
            return jsonFail(w, e, {inPayload, index, ""}, "an object");
        const od::raw_json_string key = field.key();
        od::value v = field.value();
        if (key == "price") {
            Money price;
            if (!readPrice(v, {inPayload, index, "price"}, w, price))
                return false;
            notePrice(f, price);
        } else if (key == "inventory_quantity") {
            hasQuantity = true;
            bool isNull = false;
            if (auto e = v.is_null().get(isNull))
                return jsonFail(w, e, {inPayload, index, "inventory_quantity"}, "an integer");
            if (isNull)
                quantityNull = true;
            else if (!readQuantity(v, {inPayload, index, "inventory_quantity"}, w, quantity))
                return false;
        } else if (key == "inventory_management") {
            bool isNull = false;
            if (auto e = v.is_null().get(isNull))
                return jsonFail(w, e, {inPayload, index, "inventory_management"}, "a string or null");
            managementNull = isNull;
        } else if (key == "id") {
            if (!readOptionalId(v, {inPayload, index, "id"}, "a variant id", w, stock.variantId))
                return false;
        } else if (key == "inventory_item_id") {
            if (!readOptionalId(v, {inPayload, index, "inventory_item_id"}, "an inventory item id", w,
                                stock.inventoryItemId))
                return false;
        }
    }
    stock.tracked = !managementNull;
    stock.quantity = managementNull ? 0 : quantity;
    if (w.variants)
        w.variants->push_back(stock);
    // Since API 2024-07 variants carry no inventory_management: tracked unless it is present and null.
    if (!managementNull) {
        if (!hasQuantity)
            return reasonFail(w, RejectReason::MissingField, {inPayload, index, "inventory_quantity"}, "is missing");
        if (quantityNull)
            return typeFail(w, {inPayload, index, "inventory_quantity"}, "an integer", od::json_type::null);
        f.tracked = true;
        f.quantity += quantity; // both within ±2^53: no overflow
        if (!quantityInRange(f.quantity))
            return integerFail(w, RejectReason::QuantityOutOfRange, {inPayload, index, ""},
                               "brings the sum of the variants' inventory_quantity beyond ±2^53", f.quantity);
    }
    return true;
}

bool readVariants(od::value value, bool inPayload, Fields &f, Walk &w)
{
    od::array array;
    if (auto e = value.get_array().get(array))
        return jsonFail(w, e, {inPayload, -1, "variants"}, "an array");
    f.hasVariants = true;
    for (auto element : array) {
        od::value v;
        if (auto e = std::move(element).get(v))
            return jsonFail(w, e, {inPayload, f.variants, ""}, "an object");
        if (!readVariant(v, inPayload, f.variants, f, w))
            return false;
        ++f.variants;
    }
    return true;
}

// One field of a product object (raw payload, envelope payload or Spark row); false on failure.
bool readProductField(const od::raw_json_string &key, od::value v, bool inPayload, Fields &f, Walk &w)
{
    if (key == "id") {
        f.hasId = true;
        if (!readInteger(v, {inPayload, -1, "id"}, "an integer product id", w, f.id))
            return false;
        if (f.id <= 0)
            return integerFail(w, RejectReason::BadId, {inPayload, -1, "id"}, "is not a product id", f.id);
    } else if (key == "title") {
        bool isNull = false;
        if (auto e = v.is_null().get(isNull))
            return jsonFail(w, e, {inPayload, -1, "title"}, "a string");
        if (!isNull) {
            if (auto e = v.get_string().get(f.title))
                return jsonFail(w, e, {inPayload, -1, "title"}, "a string");
        }
    } else if (key == "handle") {
        bool isNull = false;
        if (auto e = v.is_null().get(isNull))
            return jsonFail(w, e, {inPayload, -1, "handle"}, "a string");
        if (!isNull) {
            if (auto e = v.get_string().get(f.handle))
                return jsonFail(w, e, {inPayload, -1, "handle"}, "a string");
        }
    } else if (key == "updated_at") {
        f.hasUpdatedAt = true;
        return readTime(v, {inPayload, -1, "updated_at"}, w, f.updatedAt);
    } else if (key == "variants") {
        return readVariants(v, inPayload, f, w);
    } else if (key == "variant_gids") {
        // Every variant's id: `variants` holds only the first 100 in full.
        od::array gids;
        size_t count = 0;
        if (auto e = v.get_array().get(gids))
            return jsonFail(w, e, {inPayload, -1, "variant_gids"}, "an array");
        if (auto e = gids.count_elements().get(count))
            return jsonFail(w, e, {inPayload, -1, "variant_gids"}, "an array");
        f.variantGids = int(std::min<size_t>(count, 1u << 30));
    } else if (key == "inventory_item_id") {
        f.hasInventoryItemId = true;
        if (!readInteger(v, {inPayload, -1, "inventory_item_id"}, "an integer inventory item id", w, f.inventoryItemId))
            return false;
        if (f.inventoryItemId <= 0)
            return integerFail(w, RejectReason::BadId, {inPayload, -1, "inventory_item_id"},
                               "is not an inventory item id", f.inventoryItemId);
    } else if (key == "location_id") {
        // An order's location_id is null (Shopify no longer fills it): only a level needs one.
        bool isNull = false;
        if (auto e = v.is_null().get(isNull))
            return jsonFail(w, e, {inPayload, -1, "location_id"}, "an integer location id");
        if (isNull) {
            f.locationIdNull = true;
            return true;
        }
        f.hasLocationId = true;
        if (!readInteger(v, {inPayload, -1, "location_id"}, "an integer location id", w, f.locationId))
            return false;
        if (f.locationId <= 0)
            return integerFail(w, RejectReason::BadId, {inPayload, -1, "location_id"}, "is not a location id",
                               f.locationId);
    } else if (key == "available") {
        f.hasAvailable = true;
        if (auto e = v.is_null().get(f.availableNull))
            return jsonFail(w, e, {inPayload, -1, "available"}, "an integer or null");
        if (!f.availableNull)
            return readQuantity(v, {inPayload, -1, "available"}, w, f.available);
    } else if (key == "created_at") {
        f.hasCreatedAt = true;
        return readTime(v, {inPayload, -1, "created_at"}, w, f.createdAt);
    } else if (key == "line_items") {
        return readLineItems(v, inPayload, f, w);
    } else if (key == "timestamp") {
        f.hasSparkColumns = f.hasUpdatedAt = true;
        return readTime(v, {inPayload, -1, "timestamp"}, w, f.updatedAt);
    } else if (key == "quantity") {
        f.hasSparkColumns = f.hasQuantity = true;
        return readQuantity(v, {inPayload, -1, "quantity"}, w, f.quantity);
    } else if (key == "minPrice") {
        f.hasSparkColumns = f.hasMinPrice = true;
        return readPrice(v, {inPayload, -1, "minPrice"}, w, f.minPrice);
    } else if (key == "maxPrice") {
        f.hasSparkColumns = f.hasMaxPrice = true;
        return readPrice(v, {inPayload, -1, "maxPrice"}, w, f.maxPrice);
    }
    return true;
}

bool readMetadata(od::value value, Walk &w)
{
    od::object object;
    if (auto e = value.get_object().get(object))
        return jsonFail(w, e, {false, -1, "detail.metadata"}, "an object");
    for (auto fieldResult : object) {
        od::field field;
        std::string_view key;
        if (auto e = std::move(fieldResult).get(field))
            return jsonFail(w, e, {false, -1, "detail.metadata"}, "an object");
        if (auto e = field.unescaped_key().get(key))
            return jsonFail(w, e, {false, -1, "detail.metadata"}, "an object");
        std::string_view *target = nullptr;
        const char *path = "";
        if (equalsIgnoringCase(key, "x-shopify-shop-domain")) {
            target = &w.envelopeShop;
            path = "detail.metadata.X-Shopify-Shop-Domain";
        } else if (equalsIgnoringCase(key, "x-shopify-webhook-id")) {
            target = &w.envelopeWebhookId;
            path = "detail.metadata.X-Shopify-Webhook-Id";
        } else if (equalsIgnoringCase(key, "x-shopify-topic")) {
            target = &w.envelopeTopic;
            path = "detail.metadata.X-Shopify-Topic";
        } else if (equalsIgnoringCase(key, "x-shopify-event-id")) {
            target = &w.envelopeEventId;
            path = "detail.metadata.X-Shopify-Event-Id";
        } else if (equalsIgnoringCase(key, "x-shopify-triggered-at")) {
            target = &w.envelopeTriggeredAt;
            path = "detail.metadata.X-Shopify-Triggered-At";
        } else {
            continue;
        }
        if (auto e = field.value().get_string().get(*target))
            return jsonFail(w, e, {false, -1, path}, "a string");
    }
    return true;
}

// An EventBridge envelope: the payload under detail.payload, the headers under detail.metadata.
bool readDetail(od::value value, Walk &w)
{
    od::object detail;
    if (auto e = value.get_object().get(detail))
        return jsonFail(w, e, {false, -1, "detail"}, "an object");
    w.fields = Fields{};
    for (auto fieldResult : detail) {
        od::field field;
        if (auto e = std::move(fieldResult).get(field))
            return jsonFail(w, e, {false, -1, "detail"}, "an object");
        const od::raw_json_string key = field.key();
        if (key == "payload") {
            od::object payload;
            if (auto e = field.value().get_object().get(payload))
                return jsonFail(w, e, {false, -1, "detail.payload"}, "an object");
            w.hasPayload = true;
            for (auto payloadField : payload) {
                od::field pf;
                if (auto e = std::move(payloadField).get(pf))
                    return jsonFail(w, e, {false, -1, "detail.payload"}, "an object");
                if (!readProductField(pf.key(), pf.value(), true, w.fields, w))
                    return false;
            }
        } else if (key == "metadata") {
            if (!readMetadata(field.value(), w))
                return false;
        }
    }
    return true;
}

bool isValidScalar(od::document &doc, od::json_type type)
{
    bool ok = false;
    switch (type) {
    case od::json_type::number: {
        double number;
        ok = doc.get_double().get(number) == simdjson::SUCCESS;
        break;
    }
    case od::json_type::string: {
        std::string_view text;
        ok = doc.get_string().get(text) == simdjson::SUCCESS;
        break;
    }
    case od::json_type::boolean: {
        bool value;
        ok = doc.get_bool().get(value) == simdjson::SUCCESS;
        break;
    }
    case od::json_type::null: {
        bool isNull = false;
        ok = doc.is_null().get(isNull) == simdjson::SUCCESS && isNull;
        break;
    }
    default: break;
    }
    return ok;
}

// One pass over the document in its own order. An EventBridge envelope has its own top-level "id"
// and "time": a top-level field that fails is held back until it is clear there is no "detail".
bool walkDocument(od::document &doc, Walk &w)
{
    od::json_type type;
    if (auto e = doc.type().get(type))
        return jsonFail(w, e, {false, -1, "top level"}, "a JSON object");
    if (type != od::json_type::object) {
        // On-Demand only looked at the first character: a scalar must be checked to be JSON at all.
        if (type != od::json_type::array && !isValidScalar(doc, type))
            return reasonFail(w, RejectReason::InvalidJson, {false, -1, ""},
                              "invalid JSON: the value is not a JSON document");
        reasonFail(w, RejectReason::NotAnObject, {false, -1, "top level"}, "");
        w.failure.value = Failure::Value::JsonType;
        w.failure.jsonType = type;
        return false;
    }
    od::object object;
    if (auto e = doc.get_object().get(object))
        return jsonFail(w, e, {false, -1, "top level"}, "a JSON object");
    bool pending = false;
    Failure held;
    for (auto fieldResult : object) {
        od::field field;
        if (auto e = std::move(fieldResult).get(field))
            return jsonFail(w, e, {false, -1, "top level"}, "an object");
        const od::raw_json_string key = field.key();
        if (key == "detail") {
            w.isEnvelope = true;
            if (!readDetail(field.value(), w))
                return false;
        } else if (!pending && !w.isEnvelope && !readProductField(key, field.value(), false, w.fields, w)) {
            pending = true;
            held = w.failure;
        }
    }
    const char *trailing = nullptr;
    if (doc.current_location().get(trailing) == simdjson::SUCCESS)
        return jsonFail(w, simdjson::TRAILING_CONTENT, {false, -1, "top level"}, "a JSON object");
    if (pending && !w.isEnvelope) {
        w.failure = held;
        return false;
    }
    return true;
}

// The parser's own words: UTF-8, as some say "beyond ±2^53".
QString words(const char *text)
{
    return QString::fromUtf8(text);
}
QString utf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString typeName(od::json_type type)
{
    switch (type) {
    case od::json_type::array: return QStringLiteral("an array");
    case od::json_type::object: return QStringLiteral("an object");
    case od::json_type::number: return QStringLiteral("a number");
    case od::json_type::string: return QStringLiteral("a string");
    case od::json_type::boolean: return QStringLiteral("a boolean");
    case od::json_type::null: return QStringLiteral("null");
    }
    return QStringLiteral("a value");
}

QString pathText(const Path &path)
{
    QString text = path.inPayload ? QStringLiteral("detail.payload.") : QString();
    if (path.variant >= 0) {
        text += QLatin1String(path.list) % QStringLiteral("[%1]").arg(path.variant);
        if (*path.field)
            text += u'.';
    }
    return text % words(path.field);
}

// The words for a rejection, built only when a value is rejected.
Rejection describe(const Failure &f)
{
    const QString path = pathText(f.path);
    switch (f.simdjsonError) {
    case simdjson::SUCCESS: break;
    case simdjson::UTF8_ERROR: return {RejectReason::NotUtf8, words("the value is not valid UTF-8")};
    case simdjson::INCORRECT_TYPE:
        return {RejectReason::WrongType, path % QStringLiteral(": expected ") % words(f.expected)};
    case simdjson::NUMBER_OUT_OF_RANGE:
        return {RejectReason::WrongType, path % QStringLiteral(": number out of range, expected ") % words(f.expected)};
    default:
        return {RejectReason::InvalidJson, QStringLiteral("invalid JSON at ") % path % QStringLiteral(": ") %
                                               words(simdjson::error_message(f.simdjsonError))};
    }
    switch (f.value) {
    case Failure::Value::Text:
        return {f.reason, path % QStringLiteral(": \"") % utf8(f.text) % QStringLiteral("\" ") % words(f.problem)};
    case Failure::Value::Number:
        return {f.reason, path % QStringLiteral(": ") % QString::number(f.number) % u' ' % words(f.problem)};
    case Failure::Value::Integer:
        return {f.reason, path % QStringLiteral(": ") % QString::number(f.integer) % u' ' % words(f.problem)};
    case Failure::Value::JsonType:
        if (f.reason == RejectReason::NotAnObject)
            return {f.reason, QStringLiteral("expected a JSON object, got ") % typeName(f.jsonType)};
        return {f.reason, path % QStringLiteral(": expected ") % words(f.expected) % QStringLiteral(", got ") %
                              typeName(f.jsonType)};
    case Failure::Value::None: break;
    }
    if (path.isEmpty())
        return {f.reason, words(f.problem)};
    return {f.reason, path % u' ' % words(f.problem)};
}

} // namespace

struct EventParser::Impl {
    od::parser parser;
    std::vector<VariantStock> variants; // of the last products/update
    std::vector<OrderLine> lines;       // of the last orders/create
    simdjson::padded_string scratch;
    size_t maxValueBytes = kDefaultMaxValueBytes;
    Walk walk;
    std::function<qint64()> clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    // clock() + kMaxAheadMs when last read: an event time at or below it needs no new reading of the clock.
    qint64 latestAllowedMs = std::numeric_limits<qint64>::min();
    qint64 maxAheadMs = kMaxAheadMs; // <= 0: the clock does not bound event times

    bool fail(Rejection &rejection, RejectReason reason, QString detail)
    {
        rejection.reason = reason;
        rejection.detail = std::move(detail);
        return false;
    }

    // An event time more than a day ahead of the clock, or of the time Shopify says it sent the webhook, would
    // freeze its product (every real update after it would be out of order): rejected. The past is not bounded.
    bool notAhead(qint64 atMs, const char *field, bool isEnvelope, std::string_view triggeredAt, Rejection &rejection)
    {
        const auto tooFar = [&](qint64 referenceMs, qint64 boundMs, const char *of) {
            const QString bound = boundMs == kMaxAheadMs ? QStringLiteral("a day")
                                                         : QStringLiteral("%1 hours").arg(double(boundMs) / 3600000.0);
            return fail(rejection, RejectReason::FutureTimestamp,
                        (isEnvelope ? QStringLiteral("detail.payload.") : QString()) % words(field) % u' ' %
                            QString::fromLatin1(formatIsoTime(atMs)) % QStringLiteral(" is more than ") % bound %
                            QStringLiteral(" ahead of ") % words(of) % u' ' %
                            QString::fromLatin1(formatIsoTime(referenceMs)));
        };
        if (maxAheadMs > 0 && atMs > latestAllowedMs) {
            const qint64 nowMs = clock();
            latestAllowedMs = nowMs + maxAheadMs;
            if (atMs > latestAllowedMs)
                return tooFar(nowMs, maxAheadMs, "the clock");
        }
        if (!triggeredAt.empty()) {
            // parseIsoTime's years have four digits: the sum cannot overflow.
            if (const auto triggeredMs = parseIsoTime(triggeredAt); triggeredMs && atMs > *triggeredMs + kMaxAheadMs)
                return tooFar(*triggeredMs, kMaxAheadMs, "X-Shopify-Triggered-At");
        }
        return true;
    }

    // The topic a message names: those Peakwatch reads (products/create carries a product as products/update does);
    // any other is rejected by name.
    bool topicNamed(std::string_view name, ShopifyTopic &topic, Rejection &rejection)
    {
        if (equalsIgnoringCase(name, "products/update") || equalsIgnoringCase(name, "products/create"))
            topic = ShopifyTopic::ProductsUpdate;
        else if (equalsIgnoringCase(name, "inventory_levels/update"))
            topic = ShopifyTopic::InventoryLevelsUpdate;
        else if (equalsIgnoringCase(name, "orders/create"))
            topic = ShopifyTopic::OrdersCreate;
        else
            return fail(rejection, RejectReason::UnknownShape,
                        QStringLiteral("topic ") % utf8(name) %
                            QStringLiteral(" is not one Peakwatch reads (products/update, products/create, "
                                           "inventory_levels/update, orders/create)"));
        return true;
    }

    bool validate(const Fields &f, bool isEnvelope, bool hasPayload, Rejection &rejection)
    {
        const QString prefix = isEnvelope ? QStringLiteral("detail.payload.") : QString();
        if (isEnvelope && !hasPayload)
            return fail(rejection, RejectReason::MissingField, QStringLiteral("detail.payload is missing"));
        if (f.hasVariants) {
            if (!f.hasId)
                return fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("id is missing"));
            if (!f.hasUpdatedAt)
                return fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("updated_at is missing"));
            if (f.variants == 0)
                return fail(rejection, RejectReason::NoVariants, prefix % QStringLiteral("variants is empty"));
            return true;
        }
        if (f.hasSparkColumns) {
            if (!f.hasId)
                return fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("id is missing"));
            if (!f.hasUpdatedAt)
                return fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("timestamp is missing"));
            if (!f.hasQuantity)
                return fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("quantity is missing"));
            if (f.hasMinPrice && f.hasMaxPrice && f.minPrice > f.maxPrice)
                return fail(rejection, RejectReason::PriceRangeInverted,
                            prefix % QStringLiteral("minPrice ") % QString::fromLatin1(formatMoney(f.minPrice)) %
                                QStringLiteral(" is above maxPrice ") % QString::fromLatin1(formatMoney(f.maxPrice)));
            return true;
        }
        if (f.hasId || f.hasUpdatedAt)
            return fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("variants is missing"));
        return fail(rejection, RejectReason::UnknownShape,
                    words("not a products/update payload, an EventBridge envelope or a Spark-output row "
                          "(no id, variants, detail or quantity)"));
    }
};

EventParser::EventParser(size_t maxValueBytes)
    : d(std::make_unique<Impl>())
{
    d->maxValueBytes = maxValueBytes;
}

EventParser::~EventParser() = default;

void EventParser::setClock(std::function<qint64()> clock)
{
    d->clock = std::move(clock);
    d->latestAllowedMs = std::numeric_limits<qint64>::min();
}

void EventParser::setMaxAheadMs(qint64 ms)
{
    // Ten years at most, so that the clock plus the bound stays far inside 64 bits.
    d->maxAheadMs = std::min<qint64>(ms, qint64(3650) * 24 * 60 * 60 * 1000);
    d->latestAllowedMs = std::numeric_limits<qint64>::min();
}

size_t EventParser::padding()
{
    return simdjson::SIMDJSON_PADDING;
}

bool EventParser::parse(const RawMessage &message, ProductEvent &event, Rejection &rejection)
{
    ParsedMessage parsed;
    if (!parse(message, parsed, rejection))
        return false;
    if (parsed.topic != ShopifyTopic::ProductsUpdate)
        return d->fail(rejection, RejectReason::UnknownShape,
                       QStringLiteral("an %1 message, where products/update is read")
                           .arg(QLatin1String(shopifyTopicName(parsed.topic))));
    event = parsed.product;
    return true;
}

bool EventParser::parse(const RawMessage &message, ParsedMessage &parsed, Rejection &rejection)
{
    const std::string_view value = message.value;
    if (message.oversizedBytes > 0)
        return d->fail(rejection, RejectReason::TooLarge,
                       QStringLiteral("the line is %1 bytes, over the reader's limit of %2 (read past, not held)")
                           .arg(message.oversizedBytes)
                           .arg(d->maxValueBytes));
    if (!message.readerProblem.empty())
        return d->fail(rejection, RejectReason::UnknownShape,
                       QString::fromUtf8(message.readerProblem.data(), qsizetype(message.readerProblem.size())));
    if (value.size() > d->maxValueBytes)
        return d->fail(
            rejection, RejectReason::TooLarge,
            QStringLiteral("the value is %1 bytes, over the limit of %2").arg(value.size()).arg(d->maxValueBytes));
    if (value.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return d->fail(rejection, RejectReason::InvalidJson, words("the value is empty"));

    Walk &w = d->walk;
    w = Walk{};
    d->variants.clear();
    d->lines.clear();
    w.variants = &d->variants;
    w.lines = &d->lines;
    od::document doc;
    simdjson::error_code error;
    if (message.capacity >= value.size() + simdjson::SIMDJSON_PADDING) {
        error = d->parser.iterate(value.data(), value.size(), message.capacity).get(doc);
    } else {
        d->scratch = simdjson::padded_string(value.data(), value.size());
        error = d->parser.iterate(d->scratch).get(doc);
    }
    if (error) {
        jsonFail(w, error, {false, -1, "top level"}, "a JSON object");
        rejection = describe(w.failure);
        return false;
    }
    if (!walkDocument(doc, w)) {
        rejection = describe(w.failure);
        return false;
    }
    const Fields &f = w.fields;
    const std::string_view triggeredAt =
        !message.triggeredAtHeader.empty() ? message.triggeredAtHeader : w.envelopeTriggeredAt;
    // The shop: the X-Shopify-Shop-Domain header, then the envelope's metadata, then the Kafka key.
    const std::string_view shop = !message.shopDomainHeader.empty() ? message.shopDomainHeader
                                  : !w.envelopeShop.empty()         ? w.envelopeShop
                                                                    : message.key;
    // The event's identity: X-Shopify-Event-Id (the same event reaches every subscription with its own webhook id),
    // else X-Shopify-Webhook-Id; from the headers, then from the envelope's metadata.
    const std::string_view eventId = !message.eventIdHeader.empty() ? message.eventIdHeader : w.envelopeEventId;
    const std::string_view webhookId = !message.webhookIdHeader.empty() ? message.webhookIdHeader : w.envelopeWebhookId;
    const std::string_view identity = !eventId.empty() ? eventId : webhookId;
    const quint64 eventHash = identity.empty() ? 0 : fnv1a64(identity);

    // The topic: X-Shopify-Topic (a header, then the envelope's metadata; an envelope's detail-type is always
    // "shopifyWebhook"), else the shape.
    const std::string_view topicName = !message.topicHeader.empty() ? message.topicHeader : w.envelopeTopic;
    if (!topicName.empty()) {
        if (!d->topicNamed(topicName, parsed.topic, rejection))
            return false;
    } else if (f.hasInventoryItemId && f.hasLocationId) {
        parsed.topic = ShopifyTopic::InventoryLevelsUpdate;
    } else if (f.hasLineItems) {
        parsed.topic = ShopifyTopic::OrdersCreate;
    } else {
        parsed.topic = ShopifyTopic::ProductsUpdate;
    }
    // Where the payload has no time of its own, X-Shopify-Triggered-At says when the event happened.
    const auto timeOr = [&](bool has, qint64 atMs, qint64 &out) {
        if (has) {
            out = atMs;
            return true;
        }
        if (const auto triggered = parseIsoTime(triggeredAt)) {
            out = *triggered;
            return true;
        }
        return false;
    };
    const QString prefix = w.isEnvelope ? QStringLiteral("detail.payload.") : QString();
    if (w.isEnvelope && !w.hasPayload)
        return d->fail(rejection, RejectReason::MissingField, QStringLiteral("detail.payload is missing"));

    switch (parsed.topic) {
    case ShopifyTopic::InventoryLevelsUpdate: {
        InventoryLevelEvent &level = parsed.level;
        if (!f.hasInventoryItemId)
            return d->fail(rejection, RejectReason::MissingField,
                           prefix % QStringLiteral("inventory_item_id is missing"));
        if (!f.hasLocationId)
            return d->fail(rejection, RejectReason::MissingField,
                           prefix % (f.locationIdNull ? QStringLiteral("location_id is null: a level is at a location")
                                                      : QStringLiteral("location_id is missing")));
        if (!f.hasAvailable)
            return d->fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("available is missing"));
        if (!timeOr(f.hasUpdatedAt, f.updatedAt, level.updatedAtMs))
            return d->fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("updated_at is missing"));
        if (!d->notAhead(level.updatedAtMs, "updated_at", w.isEnvelope, triggeredAt, rejection))
            return false;
        level.shop = shop;
        level.inventoryItemId = f.inventoryItemId;
        level.locationId = f.locationId;
        level.tracked = !f.availableNull;
        level.available = f.availableNull ? 0 : f.available;
        level.eventId = eventHash;
        return true;
    }
    case ShopifyTopic::OrdersCreate: {
        OrderEvent &order = parsed.order;
        if (!f.hasId)
            return d->fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("id is missing"));
        if (!f.hasLineItems)
            return d->fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("line_items is missing"));
        if (!timeOr(f.hasCreatedAt, f.createdAt, order.createdAtMs))
            return d->fail(rejection, RejectReason::MissingField, prefix % QStringLiteral("created_at is missing"));
        if (!d->notAhead(order.createdAtMs, "created_at", w.isEnvelope, triggeredAt, rejection))
            return false;
        order.shop = shop;
        order.orderId = f.id;
        order.lines = d->lines;
        order.eventId = eventHash;
        return true;
    }
    case ShopifyTopic::ProductsUpdate: break;
    }

    if (!d->validate(f, w.isEnvelope, w.hasPayload, rejection))
        return false;
    ProductEvent &event = parsed.product;
    if (!d->notAhead(f.updatedAt, f.hasVariants ? "updated_at" : "timestamp", w.isEnvelope, triggeredAt, rejection))
        return false;
    event.productId = f.id;
    event.title = f.title;
    event.handle = f.handle;
    event.updatedAtMs = f.updatedAt;
    event.quantity = f.quantity;
    event.variantsNotSent = std::max(0, f.variantGids - f.variants);
    if (f.hasVariants) {
        event.tracked = f.tracked;
        event.hasPrice = f.hasPrice;
        event.minPrice = f.minPrice;
        event.maxPrice = f.maxPrice;
    } else { // Spark-output row
        event.tracked = true;
        event.hasPrice = f.hasMinPrice || f.hasMaxPrice;
        event.minPrice = f.hasMinPrice ? f.minPrice : f.maxPrice;
        event.maxPrice = f.hasMaxPrice ? f.maxPrice : f.minPrice;
    }
    event.shop = shop;
    event.eventId = eventHash;
    parsed.variants = d->variants;
    return true;
}

std::string_view shopifyTopicName(ShopifyTopic topic)
{
    switch (topic) {
    case ShopifyTopic::ProductsUpdate: return "products/update";
    case ShopifyTopic::InventoryLevelsUpdate: return "inventory_levels/update";
    case ShopifyTopic::OrdersCreate: return "orders/create";
    }
    return "products/update";
}

} // namespace peakwatch
