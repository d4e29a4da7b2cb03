namespace Tests.Distributed;

/// <summary>The error when Open MPI is not installed names the Debian packages.</summary>
public class MpiLibraryTests
{
    [Fact]
    public void AMissingLibraryNamesTheDebianPackages()
    {
        var e = Assert.Throws<DllNotFoundException>(() => Framework.Distributed.Mpi.Load(["libmpi-that-does-not-exist.so.40"]));
        Assert.Equal("Open MPI's libmpi.so.40 could not be loaded; install it with `apt-get install openmpi-bin libopenmpi3` (Debian/Ubuntu) and start the program with mpirun", e.Message);
    }
}
