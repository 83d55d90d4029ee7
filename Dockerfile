# LeadsApi image: `docker build -t leadsapi .` (BuildKit); usage in docs/container.md.
# No secrets are baked in: the connection string and everything else come from the environment.

# ---- build: restore, then publish, with the SDK ---------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Only the files that decide the package graph first: the restore layer then stays cached until a
# csproj or a package version changes, and a code edit re-runs only the publish below.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/LeadsApi.Domain/LeadsApi.Domain.csproj src/LeadsApi.Domain/
COPY src/LeadsApi/LeadsApi.csproj src/LeadsApi/
# NuGet checks package signatures' certificate revocation online by default; where the CRL/OCSP
# endpoints are unreachable that costs a minute of timeouts. A build may pass the host's own policy
# (--build-arg NUGET_CERT_REVOCATION_MODE=offline); unset, NuGet's default (online) applies.
ARG NUGET_CERT_REVOCATION_MODE
RUN dotnet restore src/LeadsApi/LeadsApi.csproj
# .editorconfig sets analyzer severities (warnings are errors), so the build needs it; restore does not.
COPY .editorconfig ./
COPY src/ src/
# UseAppHost=false: no native launcher; the image starts the app as `dotnet LeadsApi.dll`.
RUN dotnet publish src/LeadsApi/LeadsApi.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# ---- migrations (optional target): `docker build --target migrations -t leadsapi-migrations .` --
# An EF Core migration bundle, for running the migrations once per release instead of at every
# start-up (Database__Migrate=false on the API). Only built when asked for: BuildKit skips stages
# that the requested target does not need.
FROM build AS migrations-build
COPY .config/dotnet-tools.json .config/
RUN dotnet tool restore \
 && dotnet ef migrations bundle --project src/LeadsApi --configuration Release --output /efbundle

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS migrations
COPY --from=migrations-build /efbundle /efbundle
USER $APP_UID
# The bundle takes the database only as --connection; read it from the same variable as the API.
ENTRYPOINT ["sh", "-c", "exec /efbundle --connection \"$ConnectionStrings__Leads\" \"$@\"", "efbundle"]

# ---- runtime: the default target -------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
# Owned by root and read-only to the app user: the process cannot rewrite its own code.
COPY --from=build /app .
# Port 8080 on every interface (the base image sets this too; the app's 127.0.0.1:5080 default
# applies only when no URL is configured at all). ASPNETCORE_URLS overrides it as usual.
ENV ASPNETCORE_HTTP_PORTS=8080
# A 4 MB gen0 budget for the workstation GC the app is built with: peak memory under load about 80 MB lower, at no
# throughput cost measured (docs/performance.md, "Memory"). The runtime reads this from the environment only.
ENV DOTNET_GCgen0size=0x400000
EXPOSE 8080
# The base image's non-root user `app`, by uid so that runAsNonRoot checks can verify it.
USER $APP_UID
# The aspnet image has no curl; the app probes itself (src/LeadsApi/Hosting/HealthProbe.cs). Each
# probe starts a .NET process (about 0.3 s of CPU), hence 30 s rather than a tighter interval; the
# generous timeout keeps a busy but live process (say, while seeding) from being reported unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["dotnet", "/app/LeadsApi.dll", "health"]
# Migrations run at start-up (Database__Migrate=true by default). Any arguments go to the app,
# so `docker run leadsapi admin seed-demo` runs an operator command.
ENTRYPOINT ["dotnet", "LeadsApi.dll"]
