using System.Diagnostics;
using OpenTelemetry;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// <see cref="ExportProcessorType.Simple"/>: each span is sent on the thread that ends it, one request at a time, with
/// the same retry and the same counting as the trace processor (no queue, so nothing is lost to a full one).
/// </summary>
internal sealed class SimpleExportProcessor : BaseExportProcessor<Activity>
{
    private readonly object _lock = new();
    private readonly DeliveryContext _context;

    public SimpleExportProcessor(BaseExporter<Activity> exporter, DeliveryContext context)
        : base(exporter)
    {
        _context = context;
    }

    protected override void OnExport(Activity data)
    {
        if (!data.Recorded)
        {
            return;
        }

        var isRoot = TraceExportProcessor.IsLocalRoot(data);
        _context.Counters.SpanEnded();
        if (isRoot)
        {
            _context.Counters.TraceEnded();
        }

        lock (_lock)
        {
            var call = new ExportCall(isRoot ? 1 : 0, 1);
            bool succeeded;
            using (call.Begin())
            {
                succeeded = exporter.Export(new Batch<Activity>(data)) == ExportResult.Success;
            }

            _context.Record(call, succeeded);
        }
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var done = base.OnShutdown(timeoutMilliseconds);
        _context.WarnOnceIfLost();
        return done;
    }
}
