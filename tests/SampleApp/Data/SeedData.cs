namespace SampleApp.Data;

public static class SeedData
{
    public static void Populate(BlogDbContext db)
    {
        if (db.Users.Any())
        {
            return;
        }

        var users = new[]
        {
            new User { Email = "ada@example.com", DisplayName = "Ada" },
            new User { Email = "linus@example.com", DisplayName = "Linus" },
            new User { Email = "grace@example.com", DisplayName = "Grace" },
        };
        var tags = new[] { new Tag { Name = "dotnet" }, new Tag { Name = "sql" }, new Tag { Name = "perf" } };

        var now = DateTime.UtcNow;
        for (var i = 1; i <= 12; i++)
        {
            db.Posts.Add(new Post // ok: Add only tracks; one SaveChanges after the loop
            {
                Title = $"Post #{i}",
                Body = $"Body of post {i}.",
                PublishedAt = now.AddDays(-i * 3),
                Author = users[i % users.Length],
                Tags = { tags[i % tags.Length] },
                Comments =
                {
                    new Comment { AuthorName = "reader", Body = "Nice!", CreatedAt = now.AddDays(-i) },
                    new Comment { AuthorName = "critic", Body = "Needs a benchmark.", CreatedAt = now.AddDays(-i) },
                },
            });
        }

        var products = new[]
        {
            new Product { Sku = "KB-01", Name = "Keyboard", Price = 49.90m },
            new Product { Sku = "MS-01", Name = "Mouse", Price = 19.50m },
            new Product { Sku = "MN-27", Name = "Monitor", Price = 229.00m },
        };
        db.AddRange(
            new Order
            {
                Customer = new Customer { Name = "Alice", Email = "alice@example.com" },
                PlacedAt = now.AddDays(-120),
                Status = OrderStatus.Delivered,
                Lines = { new OrderLine { Product = products[0], Quantity = 1, UnitPrice = 49.90m } },
            },
            new Order
            {
                Customer = new Customer { Name = "Bob", Email = "bob@example.com" },
                PlacedAt = now.AddDays(-2),
                Lines =
                {
                    new OrderLine { Product = products[1], Quantity = 2, UnitPrice = 19.50m },
                    new OrderLine { Product = products[2], Quantity = 1, UnitPrice = 229.00m },
                },
            });

        db.SaveChanges();
    }
}
