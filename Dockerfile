# Multi-stage build: the same build command as `make build`, a static binary,
# run as a non-root user on a minimal base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o bin/advisorybot ./cmd/advisorybot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/advisorybot /advisorybot
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/advisorybot"]
CMD ["serve"]
