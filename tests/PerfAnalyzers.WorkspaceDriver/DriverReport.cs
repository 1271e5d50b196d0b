using System.Collections.Generic;

namespace PerfAnalyzers.WorkspaceDriver;

// The driver's JSON report. The test project compiles this same file (linked) to read it back.
public sealed class DriverReport
{
    public string MSBuildPath { get; set; } = "";

    public string RoslynVersion { get; set; } = "";

    public List<string> WorkspaceFailures { get; set; } = new();

    public List<string> AnalyzerReferences { get; set; } = new();

    public List<string> Analyzers { get; set; } = new();

    public List<string> CodeFixProviders { get; set; } = new();

    public List<string> CompilerErrors { get; set; } = new();

    public List<ReportedDiagnostic> Diagnostics { get; set; } = new();

    public List<LightBulb> LightBulbs { get; set; } = new();

    public AppliedFix? Applied { get; set; }

    /// <summary>Seconds since the start, at the end of each phase.</summary>
    public Dictionary<string, double> Timings { get; set; } = new();
}

public sealed class ReportedDiagnostic
{
    public string Id { get; set; } = "";

    public string Severity { get; set; } = "";

    public string File { get; set; } = "";

    public int Line { get; set; }

    public int Column { get; set; }

    public string Message { get; set; } = "";

    public string HelpLink { get; set; } = "";
}

public sealed class LightBulb
{
    public string Target { get; set; } = "";

    public bool Found { get; set; }

    public List<OfferedFix> Fixes { get; set; } = new();
}

public sealed class OfferedFix
{
    public string Title { get; set; } = "";

    public List<string> ChangedFiles { get; set; } = new();

    public List<string> ErrorsAfter { get; set; } = new();
}

public sealed class AppliedFix
{
    public string Target { get; set; } = "";

    public string Title { get; set; } = "";

    public bool FileChangedOnDisk { get; set; }

    public List<string> ChangedFiles { get; set; } = new();

    public List<string> ErrorsAfter { get; set; } = new();

    public List<ReportedDiagnostic> DiagnosticsAfter { get; set; } = new();
}
