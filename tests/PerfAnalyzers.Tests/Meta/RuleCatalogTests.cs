using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;

namespace PerfAnalyzers.Tests.Meta;

/// <summary>Keeps descriptors, docs pages, release tracking and the README rule table in sync.</summary>
public class RuleCatalogTests
{
    private static readonly IReadOnlyList<DiagnosticAnalyzer> Analyzers = typeof(PerfAnalyzers.Rules.NPlusOneAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToList();

    public static IEnumerable<object[]> Descriptors() => Analyzers
        .SelectMany(a => a.SupportedDiagnostics)
        .GroupBy(d => d.Id)
        .Select(g => new object[] { g.Key });

    private static DiagnosticDescriptor Descriptor(string id) => Analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id);

    [Fact]
    public void EveryAnalyzer_IsCSharpAnalyzer_WithAtLeastOneRule()
    {
        Assert.NotEmpty(Analyzers);
        foreach (var analyzer in Analyzers)
        {
            var attribute = analyzer.GetType().GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Cast<DiagnosticAnalyzerAttribute>().SingleOrDefault();
            Assert.True(attribute is not null && attribute.Languages.Contains(LanguageNames.CSharp), analyzer.GetType().Name + " lacks [DiagnosticAnalyzer(LanguageNames.CSharp)]");
            Assert.NotEmpty(analyzer.SupportedDiagnostics);
        }
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_HasIdCategoryHelpLinkAndDescription(string id)
    {
        var descriptor = Descriptor(id);
        Assert.Matches("^PERF[0-9]{3}$", id);
        // PERF000 reports the package's own configuration, kept out of category-Performance severities.
        Assert.Equal(id == "PERF000" ? "Configuration" : "Performance", descriptor.Category);
        Assert.Equal($"https://github.com/perfanalyzers/perfanalyzers/blob/main/docs/rules/{id}.md", descriptor.HelpLinkUri);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_HasDocsPage_TitledWithIdAndTitle(string id)
    {
        var path = RepoPaths.Combine("docs", "rules", id + ".md");
        Assert.True(File.Exists(path), "missing " + path);
        var heading = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal)) ?? "";
        Assert.Contains(id, heading);
        Assert.Contains(Descriptor(id).Title.ToString(), heading);
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_IsTrackedInReleases_WithSameCategoryAndSeverity(string id)
    {
        var descriptor = Descriptor(id);
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadLines(RepoPaths.Combine("src", "PerfAnalyzers", f)))
            .Where(l => l.StartsWith(id + " ", StringComparison.Ordinal))
            .ToList();
        var row = Assert.Single(rows);
        var cells = row.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
        Assert.Contains($"docs/rules/{id}.md", row);
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_IsListedInReadmeRuleTable(string id)
    {
        var descriptor = Descriptor(id);
        var row = File.ReadLines(RepoPaths.Combine("README.md")).SingleOrDefault(l => l.StartsWith($"| [{id}](docs/rules/{id}.md)", StringComparison.Ordinal));
        Assert.True(row is not null, $"README.md has no rule-table row for {id}");
        Assert.Contains(descriptor.Title.ToString(), row);
        Assert.Contains(descriptor.DefaultSeverity.ToString(), row);
    }

    [Fact]
    public void DocsPages_HaveNoRuleWithoutDescriptor()
    {
        var ids = Descriptors().Select(d => (string)d[0]).ToHashSet();
        foreach (var page in Directory.GetFiles(RepoPaths.Combine("docs", "rules"), "PERF*.md"))
        {
            Assert.Contains(Path.GetFileNameWithoutExtension(page), ids);
        }
    }

    [Fact]
    public void EveryFixableId_HasAnAnalyzer()
    {
        var ids = Descriptors().Select(d => (string)d[0]).ToHashSet();
        var providers = typeof(PerfAnalyzers.CodeFixes.NPlusOne.NPlusOneCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);
        foreach (var provider in providers)
        {
            Assert.All(provider.FixableDiagnosticIds, id => Assert.Contains(id, ids));
            Assert.NotNull(provider.GetFixAllProvider());
        }
    }

    [Fact]
    public void Descriptors_AreOnlyBuiltByTheFactory()
    {
        // NetAnalyzers-style ban: rules never call the DiagnosticDescriptor constructor themselves.
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) || file.EndsWith("RuleDescriptors.cs", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.False(Regex.IsMatch(File.ReadAllText(file), @"new\s+DiagnosticDescriptor\s*\("), file + " constructs a DiagnosticDescriptor; use RuleDescriptors.Create");
        }
    }

    public static readonly string[] RequiredRulePageSections =
    {
        "## What it finds", "## Why it matters", "## How to fix", "## When to suppress", "## Configuration", "## Related rules in other analyzers",
    };

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void RulePage_HasEveryRequiredSection_AndAnExample(string id)
    {
        var lines = File.ReadAllLines(RepoPaths.Combine("docs", "rules", id + ".md"));
        var missing = RequiredRulePageSections.Where(h => !lines.Any(l => l.TrimEnd() == h)).ToList();
        Assert.True(missing.Count == 0, $"docs/rules/{id}.md lacks: {string.Join(", ", missing)}");
        Assert.True(lines.Count(l => l.StartsWith("```", StringComparison.Ordinal)) >= 2, $"docs/rules/{id}.md has no fenced example");
    }

    public static IEnumerable<object[]> OptionKeys() => PerfAnalyzers.Core.PerfOptions.All.Select(o => new object[] { o.Key });

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void Option_IsDocumentedInConfigurationAndOnThePageOfEveryRuleThatReadsIt(string key)
    {
        var option = PerfAnalyzers.Core.PerfOptions.All.Single(o => o.Key == key);
        Assert.Contains("`" + key + "`", File.ReadAllText(RepoPaths.Combine("docs", "configuration.md")));
        Assert.NotEmpty(option.RuleIds);
        foreach (var ruleId in option.RuleIds)
        {
            var page = File.ReadAllText(RepoPaths.Combine("docs", "rules", ruleId + ".md"));
            Assert.True(page.Contains(key, StringComparison.Ordinal), $"docs/rules/{ruleId}.md does not mention {key}, which {ruleId} reads");
        }
    }

    [Fact]
    public void OptionCatalog_NamesOnlyRulesThatExist()
    {
        var ids = Descriptors().Select(d => (string)d[0]).ToHashSet();
        Assert.All(PerfAnalyzers.Core.PerfOptions.All.SelectMany(o => o.RuleIds), id => Assert.Contains(id, ids));
    }

    [Fact]
    public void HelpLinks_AndRelativeDocLinks_ResolveToExistingFiles()
    {
        foreach (var descriptor in Analyzers.SelectMany(a => a.SupportedDiagnostics))
        {
            Assert.StartsWith("https://github.com/perfanalyzers/perfanalyzers/blob/main/", descriptor.HelpLinkUri);
            var relative = descriptor.HelpLinkUri.Substring("https://github.com/perfanalyzers/perfanalyzers/blob/main/".Length);
            Assert.True(File.Exists(RepoPaths.Combine(relative.Split('/'))), $"{descriptor.Id}'s help link {descriptor.HelpLinkUri} has no page in the repo");
        }

        var pages = Directory.GetFiles(RepoPaths.Combine("docs"), "*.md", SearchOption.AllDirectories).Append(RepoPaths.Combine("README.md"));
        var broken = new List<string>();
        foreach (var page in pages)
        {
            foreach (Match link in Regex.Matches(File.ReadAllText(page), @"\]\((?<target>[^)\s]+)\)"))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Path.GetRelativePath(RepoPaths.Root, page)}: {link.Groups["target"].Value}");
                }
            }
        }

        Assert.True(broken.Count == 0, "Broken relative links:" + Environment.NewLine + string.Join(Environment.NewLine, broken));
    }
}
