using System.ComponentModel.DataAnnotations.Schema;

namespace SampleApp.Data;

public class User
{
    public int Id { get; set; }
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public List<Post> Posts { get; set; } = new();
}

public class Post
{
    public int Id { get; set; }
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime PublishedAt { get; set; }

    // Relationship configured with [ForeignKey].
    public int AuthorId { get; set; }
    [ForeignKey(nameof(AuthorId))]
    public User? Author { get; set; }

    public List<Comment> Comments { get; set; } = new();
    public List<Tag> Tags { get; set; } = new();
}

// Post <-> Comment by convention (PostId + Post).
public class Comment
{
    public int Id { get; set; }
    public int PostId { get; set; }
    public Post? Post { get; set; }
    public string AuthorName { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

// Post <-> Tag many-to-many by convention (skip navigations).
public class Tag
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public List<Post> Posts { get; set; } = new();
}

public class Customer
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public List<Order> Orders { get; set; } = new();
}

// Order -> Customer configured with HasOne/WithMany/HasForeignKey in BlogDbContext.OnModelCreating.
public class Order
{
    public int Id { get; set; }
    public int CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public DateTime PlacedAt { get; set; }
    public string Status { get; set; } = OrderStatus.Placed;
    public List<OrderLine> Lines { get; set; } = new();
}

// OrderLine -> Order and OrderLine -> Product by convention.
public class OrderLine
{
    public int Id { get; set; }
    public int OrderId { get; set; }
    public Order? Order { get; set; }
    public int ProductId { get; set; }
    public Product? Product { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

public class Product
{
    public int Id { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal Price { get; set; }
}

public static class OrderStatus
{
    public const string Placed = "Placed";
    public const string Shipped = "Shipped";
    public const string Delivered = "Delivered";
    public const string Archived = "Archived";
    public const string Cancelled = "Cancelled";
}
