import Tenants

/// The HTTP gateway.
public enum Gateway {}
