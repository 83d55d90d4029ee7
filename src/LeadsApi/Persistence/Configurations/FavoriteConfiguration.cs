using LeadsApi.Domain.Leads;
using LeadsApi.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class FavoriteConfiguration : IEntityTypeConfiguration<Favorite>
{
    public void Configure(EntityTypeBuilder<Favorite> favorite)
    {
        favorite.ToTable("favorites");
        favorite.HasKey(f => new { f.PartnerId, f.UserId, f.LeadId });
        // Nothing deletes a lead: Restrict says so, and a favorite never outlives its lead.
        favorite.HasOne<Lead>().WithMany().HasForeignKey(f => new { f.PartnerId, f.LeadId }).OnDelete(DeleteBehavior.Restrict);
    }
}
