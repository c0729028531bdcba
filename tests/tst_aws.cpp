// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// AWS: Signature Version 4 against AWS's published answers, the MSK IAM token against an independent signer,
// the credentials chain from a private HOME, and `peakwatch-cli msk-token`.
#include "aws_credentials.h"
#include "aws_sigv4.h"
#include "cli_runner.h"
#include "msk_iam_token.h"
#include "redaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QUrl>

using namespace peakwatch;

namespace {

// The credentials, time, region and service of AWS's SigV4 test suite (aws-sig-v4-test-suite, continued as
// awslabs/aws-c-auth tests/aws-signing-test-suite/v4).
const QString kSuiteKeyId = QStringLiteral("AKIDEXAMPLE");
const QString kSuiteSecret = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
const qint64 kSuiteTimeMs = 1440938160000; // 2015-08-30T12:36:00Z
constexpr char kSuiteStsPrefix[] = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n";
constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The example key of the S3 docs (and of the MSK known answer below).
const QString kDocsKeyId = QStringLiteral("AKIAIOSFODNN7EXAMPLE");
const QString kDocsSecret = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

AwsCredentials credentials(const QString &id, const QString &secret, const QString &token = {})
{
    AwsCredentials c;
    c.accessKeyId = id;
    c.secretAccessKey = secret;
    c.sessionToken = token;
    return c;
}

qint64 msAt(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

// A request as the suite's .req files write it: "METHOD TARGET HTTP/1.1", "Name:value" lines, a blank line and
// the body. The target is decoded into path and query; the signer supplies X-Amz-Date itself.
struct SuiteRequest {
    SigV4Request request;
    QByteArray body;
};

SuiteRequest parseSuiteRequest(const QByteArray &text)
{
    SuiteRequest out;
    const qsizetype blank = text.indexOf("\n\n");
    out.body = blank < 0 ? QByteArray() : text.mid(blank + 2);
    QList<QByteArray> lines = (blank < 0 ? text : text.left(blank)).split('\n');
    const QByteArray requestLine = lines.takeFirst();
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    out.request.method = requestLine.left(firstSpace);
    const QByteArray target = requestLine.mid(firstSpace + 1, lastSpace - firstSpace - 1);
    const qsizetype question = target.indexOf('?');
    const QByteArray path = question < 0 ? target : target.left(question);
    out.request.path = QString::fromUtf8(QByteArray::fromPercentEncoding(path));
    if (question >= 0) {
        for (const QByteArray &pair : target.mid(question + 1).split('&')) {
            const qsizetype equals = pair.indexOf('=');
            out.request.query.append({QString::fromUtf8(QByteArray::fromPercentEncoding(pair.left(equals))),
                                      QString::fromUtf8(QByteArray::fromPercentEncoding(pair.mid(equals + 1)))});
        }
    }
    for (const QByteArray &line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon);
        const QByteArray value = line.mid(colon + 1);
        if (name.compare("host", Qt::CaseInsensitive) == 0)
            out.request.host = value;
        else
            out.request.headers.append({name, value});
    }
    out.request.payloadHash = sigv4::sha256Hex(out.body);
    return out;
}

// The query of a URL as its "name=value" items, still encoded, in order.
QList<QByteArray> queryItems(const QByteArray &url)
{
    return url.mid(url.indexOf('?') + 1).split('&');
}

// peakwatch-cli with an environment of its own: this process's, without any AWS_ variable, HOME at `home`,
// then `extra` ("NAME=value").
CliResult runCliWithEnvironment(const QString &home, const QStringList &extra, const QStringList &arguments)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : environment.keys()) {
        if (key.startsWith(QLatin1String("AWS_")))
            environment.remove(key);
    }
    environment.insert(QStringLiteral("HOME"), home);
    for (const QString &assignment : extra)
        environment.insert(assignment.section(u'=', 0, 0), assignment.section(u'=', 1));
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PEAKWATCH_CLI), arguments);
    CliResult result;
    if (!process.waitForStarted(10000))
        return result;
    process.closeWriteChannel();
    result.finished = process.waitForFinished(60000);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

bool writeFile(const QString &path, const QString &content)
{
    QDir().mkpath(path.section(u'/', 0, -2));
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content.toUtf8()) == content.toUtf8().size();
}

} // namespace

class TstAws final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void suiteVectors_data();
    void suiteVectors();
    void uriEncoding_data();
    void uriEncoding();
    void signingKeyMatchesTheDocsExample();
    void sessionTokenIsSentAndSignedInHeaders();
    void presignedUrlMatchesTheS3DocsExample();
    void mskToken_data();
    void mskToken();
    void mskTokenSignsWholeSeconds();
    void mskTokenRefusesBadInput_data();
    void mskTokenRefusesBadInput();
    void credentialsChain_data();
    void credentialsChain();
    void knownCredentialsComeFirst();
    void secretsAreRegisteredForRedaction();
    void region_data();
    void region();
    void cliPrintsTheLibrarysToken();
    void cliUsesTheNamedProfile();
    void cliTakesTheSavedConnectionsRegionAndProfile();
    void cliWithoutCredentialsFailsClearly_data();
    void cliWithoutCredentialsFailsClearly();
    void cliUsageErrors_data();
    void cliUsageErrors();
};

// ---- SigV4: the published test suite --------------------------------------------------------------------

void TstAws::suiteVectors_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("sessionToken");
    QTest::addColumn<QByteArray>("canonicalRequest");
    QTest::addColumn<QByteArray>("canonicalRequestHash");
    QTest::addColumn<QByteArray>("signature");

    // Each row: the suite's .req, .creq, the last line of .sts, and the signature of .authz. Where the original
    // aws-sig-v4-test-suite and aws-c-auth's continuation differ (post-x-www-form-urlencoded), the original.
    const auto row = [](const char *name, const char *request, const char *creq, const char *hash, const char *sig,
                        const char *token = "") {
        QTest::addRow("%s", name) << QByteArray(request) << QString::fromLatin1(token) << QByteArray(creq)
                                  << QByteArray(hash) << QByteArray(sig);
    };
    const QByteArray vanillaHeaders = "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n";
    const auto getCreq = [&](const char *uri, const char *query) -> QByteArray {
        return QByteArray("GET\n") + uri + '\n' + query + '\n' + vanillaHeaders + kEmptyHash;
    };

    row("get-vanilla", "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/", "").constData(), "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    row("get-vanilla-query-order-key-case",
        "GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/", "Param1=value1&Param2=value2").constData(),
        "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    row("get-vanilla-query-order-value",
        "GET /?Param1=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/", "Param1=value1&Param1=value2").constData(),
        "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
        "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694");
    row("get-vanilla-query-unreserved",
        "GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
        "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n"
        "Host:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/", "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
                     "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
            .constData(),
        "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
        "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
    row("get-vanilla-utf8-query", "GET /?ሴ=bar HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/", "%E1%88%B4=bar").constData(), "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
        "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
    row("get-utf8", "GET /ሴ HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/%E1%88%B4", "").constData(), "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
        "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
    row("get-space", "GET /example space/ HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/example%20space/", "").constData(),
        "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
        "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
    row("get-unreserved",
        "GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n"
        "Host:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        getCreq("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "").constData(),
        "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
        "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
    row("get-header-key-duplicate",
        "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\n"
        "X-Amz-Date:20150830T123600Z",
        "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\n"
        "host;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
        "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
    row("get-header-value-order",
        "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\n"
        "My-Header1:value2\nX-Amz-Date:20150830T123600Z",
        "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n\n"
        "host;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
        "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01");
    row("get-header-value-trim",
        "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: \"a   b   c\"\n"
        "X-Amz-Date:20150830T123600Z",
        "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\n"
        "host;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
        "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    row("post-vanilla", "POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
        "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    row("post-vanilla-query", "POST /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z",
        "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
        "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
    row("post-header-key-sort",
        "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z",
        "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\n"
        "host;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
        "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c");
    row("post-header-value-case",
        "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:VALUE1\nX-Amz-Date:20150830T123600Z",
        "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\n"
        "host;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
        "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
    row("post-x-www-form-urlencoded",
        "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\n"
        "X-Amz-Date:20150830T123600Z\n\nParam1=value1",
        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
        "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
        "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    row("get-vanilla-with-session-token", "GET / HTTP/1.1\nHost:example.amazonaws.com",
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
        "x-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\n"
        "host;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b",
        "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
        "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
}

void TstAws::suiteVectors()
{
    QFETCH(QByteArray, request);
    QFETCH(QString, sessionToken);
    QFETCH(QByteArray, canonicalRequest);
    QFETCH(QByteArray, canonicalRequestHash);
    QFETCH(QByteArray, signature);

    const SuiteRequest parsed = parseSuiteRequest(request);
    const SigV4Scope scope{QByteArrayLiteral("us-east-1"), QByteArrayLiteral("service"), kSuiteTimeMs};
    const SigV4SignedHeaders signedRequest =
        sigv4::signHeaders(parsed.request, credentials(kSuiteKeyId, kSuiteSecret, sessionToken), scope);

    QCOMPARE(signedRequest.signature.canonicalRequest, canonicalRequest);
    QCOMPARE(sigv4::sha256Hex(canonicalRequest), canonicalRequestHash);
    QCOMPARE(signedRequest.signature.stringToSign, QByteArray(kSuiteStsPrefix + canonicalRequestHash));
    QCOMPARE(signedRequest.signature.signature, signature);
    const QByteArray signedHeaders = canonicalRequest.split('\n').at(canonicalRequest.count('\n') - 1);
    QCOMPARE(signedRequest.authorization(),
             QByteArray("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        "SignedHeaders=" +
                        signedHeaders + ", Signature=" + signature));
    QCOMPARE(signedRequest.headers.last().first, QByteArrayLiteral("Authorization"));
    QCOMPARE(signedRequest.headers.first(),
             std::pair(QByteArrayLiteral("X-Amz-Date"), QByteArrayLiteral("20150830T123600Z")));
}

void TstAws::uriEncoding_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("keepSlash");
    QTest::addColumn<QByteArray>("encoded");
    QTest::addRow("unreserved stay") << QStringLiteral("AZaz09-_.~") << false << QByteArray("AZaz09-_.~");
    QTest::addRow("space is %%20, not +") << QStringLiteral("a b") << false << QByteArray("a%20b");
    QTest::addRow("reserved as upper-case hex")
        << QStringLiteral("a+b=c&d:e*f") << false << QByteArray("a%2Bb%3Dc%26d%3Ae%2Af");
    QTest::addRow("slash encoded in a query value") << QStringLiteral("a/b") << false << QByteArray("a%2Fb");
    QTest::addRow("slash kept in a path") << QStringLiteral("/a/b c") << true << QByteArray("/a/b%20c");
    QTest::addRow("UTF-8 bytes") << QStringLiteral("ሴé") << false << QByteArray("%E1%88%B4%C3%A9");
    QTest::addRow("percent itself") << QStringLiteral("100%") << false << QByteArray("100%25");
}

void TstAws::uriEncoding()
{
    QFETCH(QString, text);
    QFETCH(bool, keepSlash);
    QFETCH(QByteArray, encoded);
    QCOMPARE(sigv4::uriEncode(text, keepSlash), encoded);
}

void TstAws::signingKeyMatchesTheDocsExample()
{
    // "Examples of how to derive a signing key for Signature Version 4" (AWS docs): 20120215, us-east-1, iam.
    const SigV4Scope scope{QByteArrayLiteral("us-east-1"), QByteArrayLiteral("iam"), msAt("2012-02-15T00:00:00Z")};
    QCOMPARE(sigv4::signingKey(kSuiteSecret, scope).toHex(),
             QByteArrayLiteral("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"));
    QCOMPARE(sigv4::amzDate(msAt("2012-02-15T00:00:00Z") + 999), QByteArrayLiteral("20120215T000000Z"));
}

void TstAws::sessionTokenIsSentAndSignedInHeaders()
{
    SigV4Request request;
    request.host = QByteArrayLiteral("example.amazonaws.com");
    const QString token = QStringLiteral("session/token+value==");
    const auto signedRequest = sigv4::signHeaders(request, credentials(kSuiteKeyId, kSuiteSecret, token),
                                                  {QByteArrayLiteral("us-east-1"), "service", kSuiteTimeMs});
    QVERIFY(signedRequest.headers.contains(std::pair(QByteArrayLiteral("X-Amz-Security-Token"), token.toUtf8())));
    QCOMPARE(signedRequest.signature.signedHeaders, QByteArrayLiteral("host;x-amz-date;x-amz-security-token"));
    QVERIFY(signedRequest.signature.canonicalRequest.contains(
        QByteArray("\nx-amz-security-token:" + token.toUtf8() + '\n')));
}

void TstAws::presignedUrlMatchesTheS3DocsExample()
{
    // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", S3 API reference: GET
    // examplebucket/test.txt, 20130524T000000Z, us-east-1, expires 86400, UNSIGNED-PAYLOAD.
    SigV4Request request;
    request.host = QByteArrayLiteral("examplebucket.s3.amazonaws.com");
    request.path = QStringLiteral("/test.txt");
    request.payloadHash = sigv4::kUnsignedPayload.toByteArray();
    const SigV4Scope scope{QByteArrayLiteral("us-east-1"), QByteArrayLiteral("s3"), msAt("2013-05-24T00:00:00Z")};
    const SigV4PresignedUrl presigned = sigv4::presign(request, credentials(kDocsKeyId, kDocsSecret), scope, 86400);

    QCOMPARE(presigned.signature.canonicalRequest,
             QByteArrayLiteral("GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
                               "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires="
                               "86400&X-Amz-SignedHeaders=host\nhost:examplebucket.s3.amazonaws.com\n\nhost\n"
                               "UNSIGNED-PAYLOAD"));
    QCOMPARE(presigned.signature.stringToSign,
             QByteArrayLiteral("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                               "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"));
    QCOMPARE(presigned.signature.signature,
             QByteArrayLiteral("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
    QCOMPARE(presigned.url,
             QByteArrayLiteral("https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                               "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&"
                               "X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&"
                               "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
}

// ---- The MSK IAM token ----------------------------------------------------------------------------------

void TstAws::mskToken_data()
{
    QTest::addColumn<QString>("sessionToken");
    QTest::addColumn<QByteArray>("expectedSignature");
    QTest::addColumn<QByteArray>("expectedToken");

    // Known answers for the S3 docs' example key, eu-west-1, 2026-11-27T05:00:00Z, User-Agent peakwatch/0.1.0.
    // Obtained with tests/data/aws/sigv4_reference.py, an independent SigV4 written from the spec with Python's
    // hashlib/hmac (it first reproduces the suite's get-vanilla and the S3 docs' presigned URL); the same
    // tokens, byte for byte, come from botocore 1.43.11's SigV4QueryAuth driven as aws-msk-iam-sasl-signer-python
    // drives it (clock fixed).
    QTest::addRow("long-term key")
        << QString() << QByteArray("99dacf5f93f849d79fa7f60a15e6fbae1054d1ef34c6671bfa56ec70685755f0")
        << QByteArray("aHR0cHM6Ly9rYWZrYS5ldS13ZXN0LTEuYW1hem9uYXdzLmNvbS8_"
                      "QWN0aW9uPWthZmthLWNsdXN0ZXIlM0FDb25uZWN0JlgtQW16LUFs"
                      "Z29yaXRobT1BV1M0LUhNQUMtU0hBMjU2JlgtQW16LUNyZWRlbnRpYWw9QUtJQUlPU0ZPRE5ON0VYQU1QTEUlMkYyMDI2MTEy"
                      "NyUyRmV1"
                      "LXdlc3QtMSUyRmthZmthLWNsdXN0ZXIlMkZhd3M0X3JlcXVlc3QmWC1BbXotRGF0ZT0yMDI2MTEyN1QwNTAwMDBaJlgtQW16"
                      "LUV4cGly"
                      "ZXM9OTAwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCZYLUFtei1TaWduYXR1cmU9OTlkYWNmNWY5M2Y4NDlkNzlmYTdmNjBh"
                      "MTVlNmZi"
                      "YWUxMDU0ZDFlZjM0YzY2NzFiZmE1NmVjNzA2ODU3NTVmMCZVc2VyLUFnZW50PXBlYWt3YXRjaCUyRjAuMS4w");
    QTest::addRow("session token") << QStringLiteral("IQoJb3JpZ2luX2VjEXAMPLE/session+token==")
                                   << QByteArray("389d15360f1c15b322ac7271be7dce2473de725bfef97c879c04334c433a15b4")
                                   << QByteArray(
                                          "aHR0cHM6Ly9rYWZrYS5ldS13ZXN0LTEuYW1hem9uYXdzLmNvbS8_"
                                          "QWN0aW9uPWthZmthLWNsdXN0ZXIlM0FDb25uZWN0JlgtQW16LUFs"
                                          "Z29yaXRobT1BV1M0LUhNQUMtU0hBMjU2JlgtQW16LUNyZWRlbnRpYWw9QUtJQUlPU0ZPRE5ON0VY"
                                          "QU1QTEUlMkYyMDI2MTEyNyUyRmV1"
                                          "LXdlc3QtMSUyRmthZmthLWNsdXN0ZXIlMkZhd3M0X3JlcXVlc3QmWC1BbXotRGF0ZT0yMDI2MTEy"
                                          "N1QwNTAwMDBaJlgtQW16LUV4cGly"
                                          "ZXM9OTAwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCZYLUFtei1TZWN1cml0eS1Ub2tlbj1JUW9K"
                                          "YjNKcFoybHVYMlZqRVhBTVBMRSUy"
                                          "RnNlc3Npb24lMkJ0b2tlbiUzRCUzRCZYLUFtei1TaWduYXR1cmU9Mzg5ZDE1MzYwZjFjMTViMzIy"
                                          "YWM3MjcxYmU3ZGNlMjQ3M2RlNzI1"
                                          "YmZlZjk3Yzg3OWMwNDMzNGM0MzNhMTViNCZVc2VyLUFnZW50PXBlYWt3YXRjaCUyRjAuMS4w");
}

void TstAws::mskToken()
{
    QFETCH(QString, sessionToken);
    QFETCH(QByteArray, expectedSignature);
    QFETCH(QByteArray, expectedToken);

    const qint64 now = msAt("2026-11-27T05:00:00Z");
    const auto token = makeMskIamToken(credentials(kDocsKeyId, kDocsSecret, sessionToken), QStringLiteral("eu-west-1"),
                                       now, QStringLiteral("peakwatch/0.1.0"));
    QVERIFY2(token.ok(), qPrintable(token.error()));
    QCOMPARE(token->expiresAtMs, now + 900 * 1000);
    QCOMPARE(token->principal, kDocsKeyId);

    // base64url without padding: nothing outside A-Z a-z 0-9 - _.
    static const QRegularExpression base64url(QStringLiteral("^[A-Za-z0-9_-]+$"));
    QVERIFY2(base64url.match(QString::fromLatin1(token->token)).hasMatch(), token->token.constData());
    const auto decoded = QByteArray::fromBase64Encoding(token->token, QByteArray::Base64UrlEncoding |
                                                                          QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(decoded);
    const QByteArray url = decoded.decoded;
    QVERIFY2(url.startsWith("https://kafka.eu-west-1.amazonaws.com/?"), url.constData());
    const QUrl parsed(QString::fromUtf8(url), QUrl::StrictMode);
    QVERIFY(parsed.isValid());
    QCOMPARE(parsed.host(), QStringLiteral("kafka.eu-west-1.amazonaws.com"));
    QCOMPARE(parsed.path(), QStringLiteral("/"));

    // Every parameter, encoded as sent, in the signers' order; User-Agent after the signature (not signed).
    QList<QByteArray> expected{
        "Action=kafka-cluster%3AConnect",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261127%2Feu-west-1%2Fkafka-cluster%2Faws4_request",
        "X-Amz-Date=20261127T050000Z",
        "X-Amz-Expires=900",
        "X-Amz-SignedHeaders=host",
    };
    if (!sessionToken.isEmpty())
        expected.append("X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2Fsession%2Btoken%3D%3D");
    expected.append(QByteArray("X-Amz-Signature=" + expectedSignature));
    expected.append("User-Agent=peakwatch%2F0.1.0");
    QCOMPARE(queryItems(url), expected);

    QCOMPARE(token->token, expectedToken);
}

void TstAws::mskTokenSignsWholeSeconds()
{
    const auto keys = credentials(kDocsKeyId, kDocsSecret);
    const qint64 now = msAt("2026-11-27T05:00:00Z");
    const auto onTheSecond = makeMskIamToken(keys, QStringLiteral("eu-west-1"), now, QStringLiteral("peakwatch/0.1.0"));
    const auto later = makeMskIamToken(keys, QStringLiteral("eu-west-1"), now + 750, QStringLiteral("peakwatch/0.1.0"));
    QVERIFY(onTheSecond.ok() && later.ok());
    QCOMPARE(later->token, onTheSecond->token);
    QCOMPARE(later->expiresAtMs, now + 900000);
    const auto nextSecond =
        makeMskIamToken(keys, QStringLiteral("eu-west-1"), now + 1000, QStringLiteral("peakwatch/0.1.0"));
    QVERIFY(nextSecond.ok());
    QVERIFY(nextSecond->token != onTheSecond->token);
}

void TstAws::mskTokenRefusesBadInput_data()
{
    QTest::addColumn<QString>("keyId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("no access key id") << QString() << kDocsSecret << QStringLiteral("eu-west-1")
                                      << QStringLiteral("access key id");
    QTest::addRow("no secret key") << kDocsKeyId << QString() << QStringLiteral("eu-west-1")
                                   << QStringLiteral("secret key");
    QTest::addRow("empty region") << kDocsKeyId << kDocsSecret << QString() << QStringLiteral("not an AWS region");
    QTest::addRow("region that would change the host")
        << kDocsKeyId << kDocsSecret << QStringLiteral("evil.example.com/x") << QStringLiteral("not an AWS region");
    QTest::addRow("upper-case region") << kDocsKeyId << kDocsSecret << QStringLiteral("EU-WEST-1")
                                       << QStringLiteral("not an AWS region");
}

void TstAws::mskTokenRefusesBadInput()
{
    QFETCH(QString, keyId);
    QFETCH(QString, secret);
    QFETCH(QString, region);
    QFETCH(QString, mentions);
    const auto token = makeMskIamToken(credentials(keyId, secret), region, 0, QStringLiteral("peakwatch/0.1.0"));
    QVERIFY(!token.ok());
    QVERIFY2(token.error().contains(mentions), qPrintable(token.error()));
}

// ---- The credentials chain ------------------------------------------------------------------------------

void TstAws::credentialsChain_data()
{
    QTest::addColumn<QVariantMap>("files"); // path under HOME → content
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QString>("profile"); // named explicitly (--profile-aws)
    QTest::addColumn<QString>("keyId");   // empty: an error is expected
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("sessionToken");
    QTest::addColumn<QString>("source"); // or the error, exactly

    const QString creds = QStringLiteral(".aws/credentials");
    const QString config = QStringLiteral(".aws/config");
    const QString fileDefault =
        QStringLiteral("# shared credentials\n[default]\naws_access_key_id = AKIAFILEDEFAULT\n"
                       "aws_secret_access_key = fileDefaultSecret/abc\n\n[ci]\naws_access_key_id=AKIAFILECI\n"
                       "aws_secret_access_key=fileCiSecret+xyz\naws_session_token = fileCiToken//zz==\n");
    const QStringList envKeys{QStringLiteral("AWS_ACCESS_KEY_ID=AKIAENVIRONMENT"),
                              QStringLiteral("AWS_SECRET_ACCESS_KEY=envSecret/123")};

    QTest::addRow("environment keys") << QVariantMap{} << envKeys << QString() << QStringLiteral("AKIAENVIRONMENT")
                                      << QStringLiteral("envSecret/123") << QString()
                                      << QStringLiteral("the environment");
    QTest::addRow("environment session token")
        << QVariantMap{} << (envKeys + QStringList{QStringLiteral("AWS_SESSION_TOKEN=envToken/456==")}) << QString()
        << QStringLiteral("AKIAENVIRONMENT") << QStringLiteral("envSecret/123") << QStringLiteral("envToken/456==")
        << QStringLiteral("the environment");
    QTest::addRow("environment wins over files")
        << QVariantMap{{creds, fileDefault}} << envKeys << QString() << QStringLiteral("AKIAENVIRONMENT")
        << QStringLiteral("envSecret/123") << QString() << QStringLiteral("the environment");
    QTest::addRow("environment wins over AWS_PROFILE")
        << QVariantMap{{creds, fileDefault}} << (envKeys + QStringList{QStringLiteral("AWS_PROFILE=ci")}) << QString()
        << QStringLiteral("AKIAENVIRONMENT") << QStringLiteral("envSecret/123") << QString()
        << QStringLiteral("the environment");
    QTest::addRow("default profile of the credentials file")
        << QVariantMap{{creds, fileDefault}} << QStringList() << QString() << QStringLiteral("AKIAFILEDEFAULT")
        << QStringLiteral("fileDefaultSecret/abc") << QString()
        << QStringLiteral("profile \"default\" in ~/.aws/credentials");
    QTest::addRow("profile named by AWS_PROFILE, with its session token")
        << QVariantMap{{creds, fileDefault}} << QStringList{QStringLiteral("AWS_PROFILE=ci")} << QString()
        << QStringLiteral("AKIAFILECI") << QStringLiteral("fileCiSecret+xyz") << QStringLiteral("fileCiToken//zz==")
        << QStringLiteral("profile \"ci\" in ~/.aws/credentials");
    QTest::addRow("profile named by AWS_DEFAULT_PROFILE")
        << QVariantMap{{creds, fileDefault}} << QStringList{QStringLiteral("AWS_DEFAULT_PROFILE=ci")} << QString()
        << QStringLiteral("AKIAFILECI") << QStringLiteral("fileCiSecret+xyz") << QStringLiteral("fileCiToken//zz==")
        << QStringLiteral("profile \"ci\" in ~/.aws/credentials");
    QTest::addRow("an explicit profile passes over the environment's keys")
        << QVariantMap{{creds, fileDefault}} << envKeys << QStringLiteral("ci") << QStringLiteral("AKIAFILECI")
        << QStringLiteral("fileCiSecret+xyz") << QStringLiteral("fileCiToken//zz==")
        << QStringLiteral("profile \"ci\" in ~/.aws/credentials");
    QTest::addRow("[profile x] in the config file")
        << QVariantMap{{config, QStringLiteral("[default]\nregion = us-east-1\n\n[profile  staging ]\n"
                                               "region = eu-west-1\naws_access_key_id = AKIACONFIGSTAGING\n"
                                               "aws_secret_access_key = configStagingSecret\n")}}
        << QStringList() << QStringLiteral("staging") << QStringLiteral("AKIACONFIGSTAGING")
        << QStringLiteral("configStagingSecret") << QString() << QStringLiteral("profile \"staging\" in ~/.aws/config");
    QTest::addRow("[x] in the config file is not profile x")
        << QVariantMap{{config, QStringLiteral("[staging]\naws_access_key_id = AKIAWRONG\n"
                                               "aws_secret_access_key = wrongSecret\n")}}
        << QStringList() << QStringLiteral("staging") << QString() << QString() << QString()
        << QStringLiteral("AWS profile \"staging\" not found: no [staging] section in ~/.aws/credentials and no "
                          "[profile staging] section in ~/.aws/config");
    QTest::addRow("the credentials file wins over the config file")
        << QVariantMap{{creds, fileDefault},
                       {config, QStringLiteral("[profile ci]\naws_access_key_id = AKIACONFIGCI\n"
                                               "aws_secret_access_key = configCiSecret\n")}}
        << QStringList() << QStringLiteral("ci") << QStringLiteral("AKIAFILECI") << QStringLiteral("fileCiSecret+xyz")
        << QStringLiteral("fileCiToken//zz==") << QStringLiteral("profile \"ci\" in ~/.aws/credentials");
    QTest::addRow("comments, colons and nested settings")
        << QVariantMap{{creds, QStringLiteral("; a comment\n[default]\n# another\nAWS_Access_Key_Id: AKIACOLON\n"
                                              "s3 =\n  aws_access_key_id = AKIANESTED\n"
                                              "aws_secret_access_key = colonSecret\n")}}
        << QStringList() << QString() << QStringLiteral("AKIACOLON") << QStringLiteral("colonSecret") << QString()
        << QStringLiteral("profile \"default\" in ~/.aws/credentials");
    QTest::addRow("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE")
        << QVariantMap{{creds, fileDefault},
                       {QStringLiteral("elsewhere/creds"),
                        QStringLiteral("[default]\naws_access_key_id = AKIAELSEWHERE\naws_secret_access_key = "
                                       "elsewhereSecret\n")}}
        << QStringList{QStringLiteral("AWS_SHARED_CREDENTIALS_FILE=~/elsewhere/creds"),
                       QStringLiteral("AWS_CONFIG_FILE=~/elsewhere/config")}
        << QString() << QStringLiteral("AKIAELSEWHERE") << QStringLiteral("elsewhereSecret") << QString()
        << QStringLiteral("profile \"default\" in ~/elsewhere/creds");

    // Errors: each names what is missing.
    QTest::addRow("nothing anywhere")
        << QVariantMap{} << QStringList() << QString() << QString() << QString() << QString()
        << QStringLiteral("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in "
                          "~/.aws/credentials (looked for profile \"default\")");
    QTest::addRow("a profile with a region but no keys")
        << QVariantMap{{config, QStringLiteral("[profile x]\nregion = eu-west-1\n")}} << QStringList()
        << QStringLiteral("x") << QString() << QString() << QString()
        << QStringLiteral("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in "
                          "~/.aws/credentials (looked for profile \"x\")");
    QTest::addRow("a named profile that exists nowhere")
        << QVariantMap{{creds, fileDefault}} << QStringList{QStringLiteral("AWS_PROFILE=nope")} << QString()
        << QString() << QString() << QString()
        << QStringLiteral("AWS profile \"nope\" not found: no [nope] section in ~/.aws/credentials and no [profile "
                          "nope] section in ~/.aws/config");
    QTest::addRow("only the key id in the environment")
        << QVariantMap{{creds, fileDefault}} << QStringList{QStringLiteral("AWS_ACCESS_KEY_ID=AKIAENVIRONMENT")}
        << QString() << QString() << QString() << QString()
        << QStringLiteral("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use a "
                          "profile");
    QTest::addRow("only the secret in the environment")
        << QVariantMap{} << QStringList{QStringLiteral("AWS_SECRET_ACCESS_KEY=envSecret/123")} << QString() << QString()
        << QString() << QString()
        << QStringLiteral("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither to use a "
                          "profile");
    QTest::addRow("half a key pair in the credentials file")
        << QVariantMap{{creds, QStringLiteral("[default]\naws_access_key_id = AKIAHALF\n")}} << QStringList()
        << QString() << QString() << QString() << QString()
        << QStringLiteral("AWS profile \"default\" in ~/.aws/credentials has aws_access_key_id but no "
                          "aws_secret_access_key");
    QTest::addRow("a profile that assumes a role")
        << QVariantMap{{config, QStringLiteral("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n"
                                               "source_profile = default\n")}}
        << QStringList() << QStringLiteral("admin") << QString() << QString() << QString()
        << QStringLiteral("AWS profile \"admin\" in ~/.aws/config gets its keys through role_arn (assuming a role), "
                          "which Peakwatch cannot do yet: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
                          "AWS_SESSION_TOKEN), e.g. from `aws configure export-credentials --format env`");
}

void TstAws::credentialsChain()
{
    QFETCH(QVariantMap, files);
    QFETCH(QStringList, environment);
    QFETCH(QString, profile);
    QFETCH(QString, keyId);
    QFETCH(QString, secret);
    QFETCH(QString, sessionToken);
    QFETCH(QString, source);

    QTemporaryDir home;
    QVERIFY(home.isValid());
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        QVERIFY(writeFile(home.path() + u'/' + it.key(), it.value().toString()));
    AwsEnvironment env;
    env.homeDirectory = home.path();
    for (const QString &assignment : std::as_const(environment))
        env.variables.insert(assignment.section(u'=', 0, 0), assignment.section(u'=', 1));

    const auto resolved = resolveAwsCredentials(env, profile);
    if (keyId.isEmpty()) {
        QVERIFY(!resolved.ok());
        QCOMPARE(resolved.error(), source);
        return;
    }
    QVERIFY2(resolved.ok(), qPrintable(resolved.error()));
    QCOMPARE(resolved->accessKeyId, keyId);
    QCOMPARE(resolved->secretAccessKey, secret);
    QCOMPARE(resolved->sessionToken, sessionToken);
    QCOMPARE(resolved->source, source);
}

void TstAws::knownCredentialsComeFirst()
{
    AwsEnvironment env;
    env.homeDirectory = QStringLiteral("/nonexistent");
    env.variables.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAENVIRONMENT"));
    env.variables.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("envSecret/123"));
    AwsCredentials fromKeychain = credentials(QStringLiteral("AKIAKEYCHAIN"), QStringLiteral("keychainSecret"));
    fromKeychain.source = QStringLiteral("the system keychain");
    const auto resolved = resolveAwsCredentials(env, {}, fromKeychain);
    QVERIFY(resolved.ok());
    QCOMPARE(resolved->accessKeyId, QStringLiteral("AKIAKEYCHAIN"));
    QCOMPARE(resolved->source, QStringLiteral("the system keychain"));
    // Incomplete known keys are no keys: the chain goes on.
    const auto fallback = resolveAwsCredentials(env, {}, credentials(QStringLiteral("AKIAKEYCHAIN"), QString()));
    QVERIFY(fallback.ok());
    QCOMPARE(fallback->accessKeyId, QStringLiteral("AKIAENVIRONMENT"));
}

void TstAws::secretsAreRegisteredForRedaction()
{
    const QString secret = QStringLiteral("redactMeSecret/Key+0123456789");
    const QString token = QStringLiteral("redactMeSessionToken//0123456789==");
    AwsEnvironment env;
    env.homeDirectory = QStringLiteral("/nonexistent");
    env.variables.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAREDACT"));
    env.variables.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), secret);
    env.variables.insert(QStringLiteral("AWS_SESSION_TOKEN"), token);
    QCOMPARE(redacted(QStringLiteral("key ") + secret), QStringLiteral("key ") + secret); // not known yet
    QVERIFY(resolveAwsCredentials(env).ok());
    QCOMPARE(redacted(QStringLiteral("key ") + secret + QStringLiteral(" token ") + token),
             QStringLiteral("key [redacted] token [redacted]"));
    QCOMPARE(redacted(QStringLiteral("id AKIAREDACT")), QStringLiteral("id AKIAREDACT")); // the id is no secret
}

void TstAws::region_data()
{
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("expected"); // or the error
    QTest::addColumn<bool>("ok");
    const QString config = QStringLiteral("[default]\nregion = us-east-2\n[profile eu]\nregion = eu-central-1\n");
    QTest::addRow("AWS_REGION first") << QStringList{QStringLiteral("AWS_REGION=ap-south-1"),
                                                     QStringLiteral("AWS_DEFAULT_REGION=us-west-2")}
                                      << config << QString() << QStringLiteral("ap-south-1") << true;
    QTest::addRow("then AWS_DEFAULT_REGION") << QStringList{QStringLiteral("AWS_DEFAULT_REGION=us-west-2")} << config
                                             << QString() << QStringLiteral("us-west-2") << true;
    QTest::addRow("then the default profile's region")
        << QStringList() << config << QString() << QStringLiteral("us-east-2") << true;
    QTest::addRow("then the named profile's region") << QStringList{QStringLiteral("AWS_PROFILE=eu")} << config
                                                     << QString() << QStringLiteral("eu-central-1") << true;
    QTest::addRow("the explicit profile's region")
        << QStringList() << config << QStringLiteral("eu") << QStringLiteral("eu-central-1") << true;
    QTest::addRow("nowhere") << QStringList() << QString() << QStringLiteral("eu")
                             << QStringLiteral("no AWS region: set AWS_REGION or AWS_DEFAULT_REGION, or region in "
                                               "profile \"eu\" of ~/.aws/config")
                             << false;
}

void TstAws::region()
{
    QFETCH(QStringList, environment);
    QFETCH(QString, config);
    QFETCH(QString, profile);
    QFETCH(QString, expected);
    QFETCH(bool, ok);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    if (!config.isEmpty())
        QVERIFY(writeFile(home.path() + QStringLiteral("/.aws/config"), config));
    AwsEnvironment env;
    env.homeDirectory = home.path();
    for (const QString &assignment : std::as_const(environment))
        env.variables.insert(assignment.section(u'=', 0, 0), assignment.section(u'=', 1));
    const auto region = resolveAwsRegion(env, profile);
    QCOMPARE(region.ok(), ok);
    QCOMPARE(ok ? *region : region.error(), expected);
}

// ---- peakwatch-cli msk-token ----------------------------------------------------------------------------

void TstAws::cliPrintsTheLibrarysToken()
{
    // The CLI signs with User-Agent peakwatch/<its version>.
    const CliResult version = runCli({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    const QString userAgent = QStringLiteral("peakwatch/") + QString::fromUtf8(version.out.trimmed().split(' ').last());

    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString secret = QStringLiteral("cliSecretKey/NeverPrinted+0123456789");
    const QString token = QStringLiteral("cliSessionToken//NeverPrinted==");
    const CliResult result = runCliWithEnvironment(
        home.path(),
        {QStringLiteral("AWS_ACCESS_KEY_ID=") + kDocsKeyId, QStringLiteral("AWS_SECRET_ACCESS_KEY=") + secret,
         QStringLiteral("AWS_SESSION_TOKEN=") + token},
        {QStringLiteral("msk-token"), QStringLiteral("--region"), QStringLiteral("eu-west-1"), QStringLiteral("--time"),
         QStringLiteral("2026-11-27T05:00:00Z")});
    QVERIFY2(result.exitCode == 0, result.err.constData());

    const auto expected = makeMskIamToken(credentials(kDocsKeyId, secret, token), QStringLiteral("eu-west-1"),
                                          msAt("2026-11-27T05:00:00Z"), userAgent);
    QVERIFY(expected.ok());
    QCOMPARE(result.out, QByteArray(expected->token + '\n'));
    QVERIFY2(result.err.contains("expires 2026-11-27T05:15:00Z"), result.err.constData());
    QVERIFY2(result.err.contains("AKIAIOSFODNN7EXAMPLE"), result.err.constData());
    QCOMPARE(result.err.count('\n'), 1);
    for (const QByteArray &stream : {result.out, result.err}) {
        QVERIFY(!stream.contains(secret.toUtf8()));
        QVERIFY(!stream.contains(token.toUtf8()));
    }
}

void TstAws::cliUsesTheNamedProfile()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QVERIFY(writeFile(home.path() + QStringLiteral("/.aws/credentials"),
                      QStringLiteral("[ci]\naws_access_key_id = AKIAFILECI\naws_secret_access_key = fileCiSecret\n")));
    QVERIFY(writeFile(home.path() + QStringLiteral("/.aws/config"),
                      QStringLiteral("[profile ci]\nregion = ap-southeast-2\n")));
    // The environment's keys are passed over for the named profile; the region comes from the profile.
    const CliResult result = runCliWithEnvironment(
        home.path(),
        {QStringLiteral("AWS_ACCESS_KEY_ID=AKIAENVIRONMENT"), QStringLiteral("AWS_SECRET_ACCESS_KEY=envSecret/123")},
        {QStringLiteral("msk-token"), QStringLiteral("--profile-aws"), QStringLiteral("ci"), QStringLiteral("--time"),
         QStringLiteral("2026-11-27T05:00:00Z")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const auto url = QByteArray::fromBase64(result.out.trimmed(), QByteArray::Base64UrlEncoding);
    QVERIFY2(url.startsWith("https://kafka.ap-southeast-2.amazonaws.com/?"), url.constData());
    QVERIFY2(url.contains("X-Amz-Credential=AKIAFILECI%2F20261127%2Fap-southeast-2%2Fkafka-cluster"), url.constData());
    QVERIFY2(result.err.contains("profile \"ci\" in ~/.aws/credentials"), result.err.constData());
}

void TstAws::cliTakesTheSavedConnectionsRegionAndProfile()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString config = QStringLiteral("XDG_CONFIG_HOME=") + home.path() + QStringLiteral("/.config");
    QVERIFY(writeFile(home.path() + QStringLiteral("/client.properties"),
                      QStringLiteral("security.protocol=SASL_SSL\nsasl.mechanism=AWS_MSK_IAM\n"
                                     "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required "
                                     "awsProfileName=\"ci\";\n"
                                     "sasl.client.callback.handler.class=software.amazon.msk.auth.iam."
                                     "IAMClientCallbackHandler\n")));
    QVERIFY(writeFile(home.path() + QStringLiteral("/.aws/credentials"),
                      QStringLiteral("[ci]\naws_access_key_id = AKIAFILECI\naws_secret_access_key = fileCiSecret\n")));
    const QString file = home.path() + QStringLiteral("/client.properties");
    CliResult imported = runCliWithEnvironment(
        home.path(), {config},
        {QStringLiteral("profile"), QStringLiteral("import"), QStringLiteral("Shop MSK"), file, QStringLiteral("-b"),
         QStringLiteral("b-1.shop.abc123.c2.kafka.eu-central-1.amazonaws.com:9098")});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    imported = runCliWithEnvironment(home.path(), {config},
                                     {QStringLiteral("profile"), QStringLiteral("import"), QStringLiteral("Local"),
                                      QStringLiteral("-X"), QStringLiteral("bootstrap.servers=127.0.0.1:9092")});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());

    // The region from the brokers' host names, the AWS profile from the JAAS line.
    CliResult result =
        runCliWithEnvironment(home.path(), {config},
                              {QStringLiteral("msk-token"), QStringLiteral("--profile"), QStringLiteral("Shop MSK"),
                               QStringLiteral("--time"), QStringLiteral("2026-11-27T05:00:00Z")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const auto url = QByteArray::fromBase64(result.out.trimmed(), QByteArray::Base64UrlEncoding);
    QVERIFY2(url.startsWith("https://kafka.eu-central-1.amazonaws.com/?"), url.constData());
    QVERIFY2(url.contains("X-Amz-Credential=AKIAFILECI%2F20261127%2Feu-central-1%2Fkafka-cluster"), url.constData());

    // What is given on the command line wins.
    result =
        runCliWithEnvironment(home.path(), {config},
                              {QStringLiteral("msk-token"), QStringLiteral("--profile"), QStringLiteral("Shop MSK"),
                               QStringLiteral("--region"), QStringLiteral("us-east-2")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(QByteArray::fromBase64(result.out.trimmed(), QByteArray::Base64UrlEncoding)
                .startsWith("https://kafka.us-east-2.amazonaws.com/?"));

    // A connection that does not sign in with IAM, and one that is not saved, are usage errors that say so.
    result = runCliWithEnvironment(home.path(), {config},
                                   {QStringLiteral("msk-token"), QStringLiteral("--profile"), QStringLiteral("Local")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--profile Local: this connection does not sign in with IAM (it uses Plaintext)"),
             result.err.constData());
    result = runCliWithEnvironment(home.path(), {config},
                                   {QStringLiteral("msk-token"), QStringLiteral("--profile"), QStringLiteral("Nope")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("Nope"), result.err.constData());
}

void TstAws::cliWithoutCredentialsFailsClearly_data()
{
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QByteArray>("message");
    QTest::addRow("nothing set") << QStringList()
                                 << QByteArray("peakwatch-cli: no AWS credentials: set AWS_ACCESS_KEY_ID and "
                                               "AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials (looked for "
                                               "profile \"default\")\n");
    QTest::addRow("only the secret set")
        << QStringList{QStringLiteral("AWS_SECRET_ACCESS_KEY=onlySecret/NeverPrinted0123")}
        << QByteArray("peakwatch-cli: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or "
                      "neither to use a profile\n");
}

void TstAws::cliWithoutCredentialsFailsClearly()
{
    QFETCH(QStringList, environment);
    QFETCH(QByteArray, message);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const CliResult result =
        runCliWithEnvironment(home.path(), environment,
                              {QStringLiteral("msk-token"), QStringLiteral("--region"), QStringLiteral("eu-west-1")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err, message);
    QVERIFY(!result.err.contains("onlySecret/NeverPrinted0123"));
}

void TstAws::cliUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    const QString command = QStringLiteral("msk-token");
    QTest::addRow("no region anywhere") << QStringList{command}
                                        << QStringLiteral("--region not given, and no AWS region");
    QTest::addRow("bad --time") << QStringList{command, QStringLiteral("--region"), QStringLiteral("eu-west-1"),
                                               QStringLiteral("--time"), QStringLiteral("yesterday")}
                                << QStringLiteral("--time yesterday");
    QTest::addRow("bad --region") << QStringList{command, QStringLiteral("--region"), QStringLiteral("evil.com/x")}
                                  << QStringLiteral("not an AWS region");
    QTest::addRow("empty --profile-aws") << QStringList{command, QStringLiteral("--region"),
                                                        QStringLiteral("eu-west-1"), QStringLiteral("--profile-aws"),
                                                        QString()}
                                         << QStringLiteral("--profile-aws");
    QTest::addRow("unknown option") << QStringList{command, QStringLiteral("--nope")} << QStringLiteral("nope");
    QTest::addRow("positional argument") << QStringList{command, QStringLiteral("eu-west-1")}
                                         << QStringLiteral("unexpected argument");
}

void TstAws::cliUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const CliResult result = runCliWithEnvironment(
        home.path(),
        {QStringLiteral("AWS_ACCESS_KEY_ID=") + kDocsKeyId, QStringLiteral("AWS_SECRET_ACCESS_KEY=") + kDocsSecret},
        arguments);
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY2(QString::fromUtf8(result.err).contains(mentions), result.err.constData());
    QVERIFY(!result.err.contains(kDocsSecret.toUtf8()));
}

QTEST_GUILESS_MAIN(TstAws)
#include "tst_aws.moc"
