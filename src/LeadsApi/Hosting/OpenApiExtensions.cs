using Microsoft.OpenApi;

namespace LeadsApi.Hosting;

public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    /// <summary>The API key scheme's name in the document (kept from before tokens, so existing clients read it unchanged).</summary>
    private const string BearerScheme = "bearer";

    /// <summary>The sign-in token scheme: a JWT from the OpenID Connect provider that the deployment configures.</summary>
    private const string JwtScheme = "jwt";

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
                    Authenticate with `Authorization: Bearer <api key>`, or, in a front-end, with the sign-in token (a JWT) of the
                    deployment's OpenID Connect provider: `Authorization: Bearer <token>`. Errors are `application/problem+json` with a stable `code`;
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
            options.AddSecurityDefinition(JwtScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = BearerScheme,
                BearerFormat = "JWT",
                Description = """
                    For front-ends: an access token (a JWT) from the deployment's OpenID Connect provider, when sign-in is configured,
                    as `Authorization: Bearer <token>`. It must be signed (RS/PS/ES algorithms), current, issued by the configured issuer
                    for the configured audience, and carry the partner (`partner_id`), the user (`sub`) and the user's roles (`roles`:
                    partnerAdmin, referralsAdmin, referralsReader); the claim names are configurable. A bearer value of three base64url
                    segments is read as a token, any other as an API key.
                    """,
            });
            // Either scheme: two requirements, each of one scheme.
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(JwtScheme, document)] = [],
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
