import Gateway

print("scim-gateway")
