# A container image of dotnet-advisor, for `monitor` as a Kubernetes sidecar or DaemonSet (docs/monitor.md,
# "Deploying"). Build from the repository's root: docker build -t dotnet-advisor .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# The tool as users install it: its NuGet package, installed into a folder the runtime image copies.
RUN dotnet pack src/Advisor.Cli -c Release -o /packages \
 && dotnet tool install dotnet-advisor --add-source /packages --tool-path /opt/dotnet-advisor

FROM mcr.microsoft.com/dotnet/runtime:10.0
# libbpf is the only native library the tool loads beside libc: the bpf backend's loader. Without it, `auto`
# falls back to the perf backend, and says so.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbpf1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/dotnet-advisor /opt/dotnet-advisor
ENV PATH="/opt/dotnet-advisor:${PATH}" \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# Port of --prometheus in the default command.
EXPOSE 9464
ENTRYPOINT ["dotnet-advisor"]
CMD ["monitor", "--all", "--prometheus", "0.0.0.0:9464"]
