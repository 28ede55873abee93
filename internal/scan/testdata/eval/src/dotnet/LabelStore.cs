using Microsoft.Data.SqlClient;

namespace Labels;

public static class LabelStore
{
    // TODO move to Key Vault before the audit.
    private const string Prod = "Server=tcp:labels-prod.database.windows.net,1433;Initial Catalog=labels;User ID=labeler;Password={{ado-password}};Encrypt=True;";
    private const string Warehouse = "Driver={ODBC Driver 18 for SQL Server};Server=wh.internal;Database=warehouse;UID=etl;PWD={{ado-password}};";
    private const string Local = "Server=(localdb)\\mssqllocaldb;Database=labels;Trusted_Connection=True;";
    private const string Docs = "Server=myServer;Database=myDb;User Id=myUser;Password=<your-password>;";
    private const string Dev = "Server=localhost;Database=labels;User Id=sa;Password={{!default-password}};";
    private const string SchemaHash = "{{!sha256}}";

    public static SqlConnection Open() => new SqlConnection(Prod);
}
