subscription.move
--as
alice
subscription=S-PBI
tenant=T-LAB