using System;

namespace Instrumentation;

/// <summary>
/// Leaves the parameter out of the span's recorded inputs (<c>mlflow.spanInputs</c>) entirely.
/// <see cref="System.Threading.CancellationToken"/> parameters are always left out.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NotTracedAttribute : Attribute
{
}
