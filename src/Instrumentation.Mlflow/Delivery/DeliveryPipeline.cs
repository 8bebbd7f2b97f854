using System;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using Instrumentation.Mlflow.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// Builds the export pipeline <c>AddMlflowExporter()</c> adds: the stock <see cref="OtlpTraceExporter"/> (protobuf over
/// HTTP), given an <see cref="HttpClient"/> whose handlers observe, keep on disk (durable export) and retry, behind the
/// trace processor (or the simple one).
/// </summary>
internal static class DeliveryPipeline
{
    public static BaseProcessor<Activity> Create(ValidatedSettings validated, MlflowExportTarget target)
    {
        var settings = validated.Settings;
        var context = new DeliveryContext(settings.Delivery, target.TracesEndpoint, target.ExperimentId, target.RunId);
        target.WithDelivery(context.Counters);

        var otlp = new OtlpExporterOptions();
        otlp.Protocol = OtlpExportProtocol.HttpProtobuf;

        // Set in code, the endpoint is used as is: the exporter appends no signal path, so it must be the full path.
        otlp.Endpoint = target.TracesEndpoint;
        var headers = "x-mlflow-experiment-id=" + HeaderValues.Escape(target.ExperimentId);
        if (target.RunId is { } runId)
        {
            headers += ",x-mlflow-run-id=" + HeaderValues.Escape(runId);
        }

        otlp.Headers = headers;
        settings.ConfigureOtlpExporter?.Invoke(otlp);

        if (settings.Delivery.DurableDirectory is { Length: > 0 } directory)
        {
            context.Spool = DurableSpool.TryOpen(context, directory);
        }

        var sockets = new SocketsHttpHandler
        {
            // Connection failures are retried: a connect attempt gets the attempt timeout, not the OS default (minutes).
            ConnectTimeout = settings.Delivery.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        var retry = new RetryHandler(context, sockets);
        HttpMessageHandler chain = context.Spool is { } spool ? new SpoolHandler(context, spool, retry) : retry;
        var client = new HttpClient(new ObservingHandler(context, chain))
        {
            // The retry window and the attempt timeout bound every request; the client's own timeout would cut retries.
            Timeout = Timeout.InfiniteTimeSpan,
        };

        // Credentials go on the HttpClient rather than into the Headers string, which the exporter unescapes and
        // splits on commas: a token is sent exactly as configured.
        client.DefaultRequestHeaders.Authorization = validated.Authorization;
        otlp.HttpClientFactory = () => client;

        if (context.Spool is { } stored)
        {
            stored.StartResending(new HttpMessageInvoker(retry, disposeHandler: false), validated.Authorization);
        }

        var exporter = new OtlpTraceExporter(otlp);
        BaseProcessor<Activity> processor = settings.ExportProcessorType == ExportProcessorType.Simple
            ? new SimpleExportProcessor(exporter, context)
            : new TraceExportProcessor(exporter, context);
        settings.OnResolved?.Invoke(target);
        return processor;
    }
}
