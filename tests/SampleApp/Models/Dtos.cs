namespace SampleApp.Models;

public sealed record PostSummary(int Id, string Title, string? Author);

public sealed record PostWithComments(int Id, string Title, IReadOnlyList<string> Comments);

public sealed record PostCommentCount(int PostId, string Title, long Comments);

public sealed record AuthorDto(int Id, string DisplayName, string Email);

public sealed record OrderItemDto(int ProductId, string ProductName, int Quantity, decimal UnitPrice);

public sealed record OrderDetails(int Id, int CustomerId, string Status, IReadOnlyList<OrderItemDto> Items);

public sealed record QuoteLine(int ProductId, string Name, decimal Price);

public sealed record NewOrderItem(int ProductId, int Quantity);

public sealed record NewOrderRequest(int CustomerId, IReadOnlyList<NewOrderItem> Items);
