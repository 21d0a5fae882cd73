namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>The Endpoint Security client could not start; <see cref="Exception.Message"/> says what to do.</summary>
public sealed class EsShimException(int status, string message) : Exception(message)
{
    /// <summary>The shim's KG_ES_ERR_* code (1..6 are es_new_client_result_t's failures).</summary>
    public int Status { get; } = status;
}
