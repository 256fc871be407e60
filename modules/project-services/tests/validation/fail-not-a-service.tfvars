# expect: Each service must be a full service name ending in .googleapis.com.
services = ["container"]
