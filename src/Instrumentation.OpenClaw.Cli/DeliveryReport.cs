using System;
using System.Globalization;
using System.IO;
using Instrumentation.Mlflow;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// What the bridge says about delivery: the part of the summary that counts what MLflow accepted (2xx), the sentence
/// when anything was not delivered, and in <c>follow</c> a line on standard error as losses happen.
/// </summary>
internal sealed class DeliveryReport
{
    private long _reportedLost;

    /// <summary>Where the traces go, once the provider is built with a tracking URI; otherwise nothing is exported.</summary>
    public MlflowExportTarget? Target { get; set; }

    /// <summary>Whether some trace or span was not delivered.</summary>
    public bool AnythingLost => Target is { } target && (target.Delivery.TracesLost > 0 || target.Delivery.SpansLost > 0);

    /// <summary>The summary's clause, for example <c>; MLflow accepted 3000 of 3000 traces (12000 spans)</c>; empty when
    /// nothing is exported.</summary>
    public string SummaryClause()
    {
        if (Target is not { } target)
        {
            return string.Empty;
        }

        var d = target.Delivery;
        var text = string.Format(CultureInfo.InvariantCulture, "; MLflow accepted {0} of {1} traces ({2} spans)", d.TracesDelivered, d.TracesEnded, d.SpansDelivered);
        if (d.Retries > 0)
        {
            text += string.Format(CultureInfo.InvariantCulture, " after {0} retries", d.Retries);
        }

        return text;
    }

    /// <summary>The sentence for standard error when anything was lost, else <see langword="null"/>.</summary>
    public string? LossSentence()
    {
        if (Target is not { } target || !AnythingLost)
        {
            return null;
        }

        var d = target.Delivery;
        return string.Format(CultureInfo.InvariantCulture,
            "openclaw-bridge: {0} of {1} traces ({2} spans) could not be delivered to MLflow at {3}: {4}",
            d.TracesLost, d.TracesEnded, d.SpansLost, target.TracesEndpoint, d.LastFailure ?? "unknown failure");
    }

    /// <summary><c>follow</c>: writes a line for traces lost since the last call, and keeps going.</summary>
    public void ReportNewLosses(TextWriter stderr)
    {
        if (Target is not { } target)
        {
            return;
        }

        var lost = target.Delivery.TracesLost;
        if (lost <= _reportedLost)
        {
            return;
        }

        stderr.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "openclaw-bridge: {0} traces could not be delivered to MLflow at {1}: {2} ({3} so far; still following)",
            lost - _reportedLost, target.TracesEndpoint, target.Delivery.LastFailure ?? "unknown failure", lost));
        _reportedLost = lost;
    }
}
