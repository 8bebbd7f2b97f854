using Instrumentation.Runtime.Redaction;

namespace Instrumentation.Runtime.Tests;

/// <summary>
/// JSON text that arrived serialized (tool-call arguments, OpenClaw payloads) is checked for secret-named keys by a
/// scan that does not read it as JSON (<see cref="JsonKeyScan"/>). Each case here is JSON whose keys such a scan could
/// misread; the redacted text must be what the JSON reader's pass gives.
/// </summary>
public sealed class JsonKeyScanTests
{
    private static readonly Redactor s_redactor = Redactor.Default;

    [Theory]
    [InlineData("""{"city":"Paris","days":3}""", """{"city":"Paris","days":3}""")]
    [InlineData("""{"apiKey":"abc123","region":"eu"}""", """{"apiKey":"[REDACTED]","region":"eu"}""")]
    [InlineData("""{"city" :"Paris", "password"  :  "hunter2"}""", """{"city":"Paris","password":"[REDACTED]"}""")]
    [InlineData("{\"password\"\n\t: \"hunter2\"}", """{"password":"[REDACTED]"}""")]
    [InlineData("""{"api\u004Bey":"abc123"}""", """{"apiKey":"[REDACTED]"}""")]
    [InlineData("""{/* why */ "token": "t"}""", """{"token":"[REDACTED]"}""")]
    [InlineData("""{"note":"say \"token\": no","nested":{"secret":"s"}}""", """{"note":"say \"token\": no","nested":{"secret":"[REDACTED]"}}""")]
    [InlineData("""[{"a":1},{"credentials":{"user":"u"}}]""", """[{"a":1},{"credentials":"[REDACTED]"}]""")]
    public void Secret_named_keys_are_found_however_the_json_writes_them(string json, string expected)
    {
        Assert.Equal(expected, JsonRedaction.RedactJsonText(json, s_redactor));
    }

    [Theory]
    [InlineData("""{"note":"the token: here","count":2}""", true)]
    [InlineData("""{"city":"Paris","days":3}""", true)]
    [InlineData("""{"tokenCount":12,"maxTokens":256}""", false)] // a secret-named key, though its number is kept
    public void Json_without_secrets_comes_back_as_the_same_instance(string json, bool decidedByTheScanAlone)
    {
        Assert.Same(json, JsonRedaction.RedactJsonText(json, s_redactor, out var passedFilter));
        Assert.Equal(decidedByTheScanAlone, passedFilter);
    }

    [Fact]
    public void A_string_left_open_is_redacted_as_text()
    {
        // Not JSON: the reader fails, and the text rules still apply.
        Assert.Equal("""{"password": "x", "k": "Bearer [REDACTED]""", JsonRedaction.RedactJsonText("""{"password": "x", "k": "Bearer abcdef1234567890""", s_redactor));
    }
}
