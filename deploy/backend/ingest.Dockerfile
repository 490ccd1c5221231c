# The ingest (src/EdgeGateway.Ingest) as a container. Build context: the repository root
#   docker build -f deploy/backend/ingest.Dockerfile -t edgegw-ingest .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/EdgeGateway.Core/ src/EdgeGateway.Core/
COPY src/EdgeGateway.Ingest/ src/EdgeGateway.Ingest/
RUN dotnet publish src/EdgeGateway.Ingest -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app ./
# Dead letters (Ingest:DeadLetterDirectory) go to a volume; a new named volume takes this owner.
RUN mkdir -p /var/lib/edgegw-ingest && chown app /var/lib/edgegw-ingest
USER app
ENTRYPOINT ["dotnet", "edgegw-ingest.dll"]
CMD ["--config", "/etc/edgegw/ingest.json"]
