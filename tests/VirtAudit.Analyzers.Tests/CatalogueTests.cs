using VirtAudit.Generators.Analyzers;

namespace VirtAudit.Analyzers.Tests;

/// <summary>Every descriptor is tracked, linked and documented.</summary>
public sealed class CatalogueTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    public static TheoryData<string> Ids() => new(AnalyzerDiagnostics.All.Select(d => d.Id).Distinct());

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_descriptor_of_an_id_agrees_and_links_to_its_page(string id)
    {
        var descriptors = AnalyzerDiagnostics.All.Where(d => d.Id == id).ToList();

        Assert.All(descriptors, d =>
        {
            Assert.Equal($"https://github.com/virtaudit/virtaudit/blob/main/docs/diagnostics/{id}.md", d.HelpLinkUri);
            Assert.Equal(descriptors[0].Title.ToString(), d.Title.ToString());
            Assert.Equal(descriptors[0].Category, d.Category);
            Assert.Equal(descriptors[0].DefaultSeverity, d.DefaultSeverity);
            Assert.True(d.IsEnabledByDefault);
        });
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_has_a_page_with_a_bad_and_a_good_example(string id)
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot, "docs", "diagnostics", id + ".md"));
        var descriptor = AnalyzerDiagnostics.All.First(d => d.Id == id);

        Assert.StartsWith($"# {id}: {descriptor.Title}", page, StringComparison.Ordinal);
        Assert.Contains($"| Severity | {descriptor.DefaultSeverity} |", page, StringComparison.Ordinal);
        Assert.Contains("## Bad", page, StringComparison.Ordinal);
        Assert.Contains("## Good", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_is_in_the_release_file_and_the_index(string id)
    {
        var descriptor = AnalyzerDiagnostics.All.First(d => d.Id == id);
        var releases = File.ReadAllLines(Path.Combine(RepoRoot, "generators", "VirtAudit.Generators", "AnalyzerReleases.Unshipped.md"));
        var index = File.ReadAllText(Path.Combine(RepoRoot, "docs", "diagnostics", "README.md"));

        Assert.Contains(releases, line => line.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", StringComparison.Ordinal));
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title} |", index, StringComparison.Ordinal);
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VirtAuditSdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("VirtAuditSdk.sln not found above " + AppContext.BaseDirectory);
    }
}
