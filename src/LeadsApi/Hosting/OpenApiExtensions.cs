using Microsoft.OpenApi;

namespace LeadsApi.Hosting;

public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    private const string BearerScheme = "bearer";

    public static IHostApplicationBuilder AddLeadsOpenApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "LeadsApi",
                Version = "v1",
                Description = """
                    Leads (referrals) that partners receive: accept or decline them, work them to won or lost, star favorites.
                    Authenticate with `Authorization: Bearer <api key>`. Errors are `application/problem+json` with a stable `code`;
                    `/problems/{code}` explains each one.
                    """,
                Contact = new OpenApiContact { Name = "LeadsApi team", Email = "leads-api@example.com" },
            });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = BearerScheme,
                Description = "Your API key: `Authorization: Bearer <api key>`.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
            options.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "LeadsApi.xml"), includeControllerXmlComments: false);
            options.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "LeadsApi.Domain.xml"), includeControllerXmlComments: false);
            options.SupportNonNullableReferenceTypes();
            // A reference wrapped in allOf can carry a description, and ContractSchemaFilter turns nullable ones into oneOf [ref, null].
            options.UseAllOfToExtendReferenceSchemas();
            options.SchemaFilter<ContractSchemaFilter>();
            options.OperationFilter<ContractOperationFilter>();
            options.DocumentFilter<ContractDocumentFilter>();
        });
        return builder;
    }

    public static WebApplication UseLeadsOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The served document points "Try it out" at the host it was fetched from; the checked-in one names the dev URL.
        app.UseSwagger(options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.PreSerializeFilters.Add((document, request) =>
                document.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host}" }]);
        });
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "LeadsApi v1");
            options.DocumentTitle = "LeadsApi";
        });
        return app;
    }
}
