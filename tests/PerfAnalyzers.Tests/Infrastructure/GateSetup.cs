using System.Runtime.CompilerServices;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Tests.Infrastructure;

/// <summary>
/// The test compilations have a few trees, fewer than a build needs before the syntax gates use the compilation's call
/// names (<see cref="CallReach"/>). Tests use them from the first tree, so every rule test also checks that the gates never
/// drop a block the rule reports in.
/// </summary>
internal static class GateSetup
{
    [ModuleInitializer]
    internal static void UseCallReachAlways() => CallReach.TreesBeforeUse = 0;
}
