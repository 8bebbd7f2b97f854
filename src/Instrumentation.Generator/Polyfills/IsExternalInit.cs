// Records and init-only setters need this type, which netstandard2.0 lacks; the compiler only needs it to exist.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
