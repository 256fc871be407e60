# expect: readers must be IAM members such as serviceAccount:EMAIL
readers = ["allUsers"]
