using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace LeadsApi.LocalDatabase;

/// <summary>
/// The Docker back end of <see cref="PostgresLauncher"/>, through Testcontainers: a <c>postgres</c> container
/// published on 127.0.0.1 and a port chosen up front, so a restart keeps its address. A persistent one is
/// named <c>{DockerName}-postgres</c>, keeps its data in the volume <c>{DockerName}-pgdata</c> and its password
/// in the data folder; a throwaway one is gone on dispose.
/// </summary>
public sealed class PostgresContainer : PostgresServer
{
    private const int ServerPort = 5432;
    private const string DataPath = "/var/lib/postgresql/data";
    private readonly PostgreSqlContainer? _container;
    private readonly PostgresSpec _spec;

    private PostgresContainer(PostgreSqlContainer? container, PostgresSpec spec, int port, string password, bool startedHere)
        : base(port, password, startedHere)
    {
        _container = container;
        _spec = spec;
    }

    public override string Description => _spec.IsPersistent
        ? $"PostgreSQL in Docker ({_spec.Image}) on 127.0.0.1:{Port}, container {_spec.DockerContainer}, data in the volume {_spec.DockerVolume}"
        : $"Testcontainers ({_spec.Image}, throwaway, on 127.0.0.1:{Port})";

    /// <summary>Whether a Docker daemon answers Testcontainers' ping.</summary>
    internal static bool DockerAnswers()
    {
        UseThisMachinesDockerSettings();
        return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
    }

    internal static async Task<PostgresContainer> StartAsync(PostgresSpec spec, CancellationToken cancellationToken)
    {
        UseThisMachinesDockerSettings();
        var port = LoopbackPort.Free();
        var password = spec.IsPersistent ? await PasswordFile.ReadOrCreateAsync(PasswordPath(spec), cancellationToken) : PasswordFile.NewPassword();
        var builder = new PostgreSqlBuilder(spec.Image)
            .WithDatabase("leads")
            .WithUsername(SuperUser)
            .WithPassword(password)
            .WithPortBinding(port, ServerPort)
            .WithCreateParameterModifier(OnLoopbackOnly)
            // Its default logger writes to standard output, which belongs to the commands' results.
            .WithLogger(NullLogger.Instance);
        if (spec.IsPersistent)
        {
            // A stopped container of that name (a crash, or a different image) holds no data: the volume does.
            await WithDockerAsync(docker => RemoveAsync(docker, spec.DockerContainer, cancellationToken));
            builder = builder
                .WithName(spec.DockerContainer)
                .WithVolumeMount(spec.DockerVolume, DataPath)
                .WithCleanUp(false)
                // Testcontainers turns durability off for tests; the last -c wins, so a kept database has it back.
                .WithCommand("-c", "fsync=on", "-c", "full_page_writes=on", "-c", "synchronous_commit=on");
        }

        foreach (var setting in spec.Settings)
        {
            builder = builder.WithCommand("-c", setting);
        }

        var container = builder.Build();
        try
        {
            await container.StartAsync(cancellationToken);
        }
        catch
        {
            await DisposeContainerAsync(container);
            throw;
        }

        return new PostgresContainer(container, spec, port, password, startedHere: true);
    }

    /// <summary>The persistent container of <paramref name="spec"/> when it runs (another process of ours started it), else null.</summary>
    internal static async Task<PostgresContainer?> FindRunningAsync(PostgresSpec spec, CancellationToken cancellationToken)
    {
        UseThisMachinesDockerSettings();
        var port = await WithDockerAsync(async docker =>
        {
            try
            {
                var inspected = await docker.Containers.InspectContainerAsync(spec.DockerContainer, cancellationToken);
                if (inspected.State?.Running != true || inspected.NetworkSettings?.Ports is not { } ports
                    || !ports.TryGetValue($"{ServerPort}/tcp", out var bindings) || bindings is not [var binding, ..])
                {
                    return null;
                }

                return int.TryParse(binding.HostPort, out var hostPort) ? hostPort : (int?)null;
            }
            catch (DockerContainerNotFoundException)
            {
                return null;
            }
        });
        return port is { } running
            ? new PostgresContainer(null, spec, running, await PasswordFile.ReadOrCreateAsync(PasswordPath(spec), cancellationToken), startedHere: false)
            : null;
    }

    public override async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_container is not null)
        {
            await _container.StopAsync(cancellationToken);
        }
        else
        {
            await WithDockerAsync(async docker =>
            {
                await docker.Containers.StopContainerAsync(_spec.DockerContainer, new ContainerStopParameters(), cancellationToken);
                return await RemoveAsync(docker, _spec.DockerContainer, cancellationToken);
            });
        }
    }

    public override Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        _container?.StartAsync(cancellationToken)
        ?? throw new InvalidOperationException($"{_spec.DockerContainer} was started by another process: start it again with `database start`.");

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_container is not null && StopOnDispose)
        {
            NpgsqlConnection.ClearAllPools();
            await DisposeContainerAsync(_container);
        }
    }

    /// <summary>
    /// Testcontainers' defaults for this machine, unless set: the Docker here is 20.10 (API 1.41) and its
    /// reaper image cannot be pulled. Read once, before Testcontainers first looks at its settings.
    /// </summary>
    private static void UseThisMachinesDockerSettings()
    {
        SetDefault("DOCKER_API_VERSION", "1.41");
        SetDefault("TESTCONTAINERS_RYUK_DISABLED", "true");
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    private static string PasswordPath(PostgresSpec spec) => Path.Combine(Path.GetFullPath(spec.DataFolder!), "docker-postgres.password");

    /// <summary>Publishes the server on the loopback interface only, as the local binaries' cluster listens.</summary>
    private static void OnLoopbackOnly(CreateContainerParameters parameters)
    {
        foreach (var binding in parameters.HostConfig?.PortBindings?.Values.SelectMany(b => b) ?? [])
        {
            binding.HostIP = "127.0.0.1";
        }
    }

    /// <summary>Stops the container and removes it with its anonymous volume: with the reaper off, Testcontainers would only stop it.</summary>
    private static async Task DisposeContainerAsync(PostgreSqlContainer container)
    {
        var id = container.Id;
        await container.DisposeAsync();
        if (!string.IsNullOrEmpty(id))
        {
            await WithDockerAsync(docker => RemoveAsync(docker, id, CancellationToken.None));
        }
    }

    private static async Task<bool> RemoveAsync(DockerClient docker, string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(nameOrId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
    }

    private static async Task<T> WithDockerAsync<T>(Func<DockerClient, Task<T>> use)
    {
        using var docker = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(Guid.Empty).Build();
        return await use(docker);
    }
}
