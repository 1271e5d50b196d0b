// Code fixes for PerfAnalyzers rules live in this assembly: it alone references Microsoft.CodeAnalysis.Workspaces.
