using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Tests.Processes;

/// <summary>Real lookups in this machine's user database.</summary>
public class UserNamesTests
{
    [Fact]
    public void Uid_0_is_root() => Assert.Equal("root", new UserNames().NameOf(0));

    [Fact]
    public void Names_agree_with_etc_passwd()
    {
        var names = new UserNames();
        foreach (string line in File.ReadLines("/etc/passwd").Take(20))
        {
            string[] f = line.Split(':');
            Assert.Equal(f[0], names.NameOf(int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void An_unknown_uid_a_negative_one_and_null_have_no_name()
    {
        var names = new UserNames();
        Assert.Null(names.NameOf(1_999_999_999));
        Assert.Null(names.NameOf(-1));
        Assert.Null(names.NameOf(null));
    }
}
