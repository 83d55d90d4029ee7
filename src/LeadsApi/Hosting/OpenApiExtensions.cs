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
                Description = "Leads (referrals) that partners receive: accept or decline them, work them to won or lost, star favorites.",
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
        });
        return builder;
    }

    public static WebApplication UseLeadsOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "LeadsApi v1");
            options.DocumentTitle = "LeadsApi";
        });
        return app;
    }
}
